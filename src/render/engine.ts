// The private Handlebars instance: HTML escaping off, strict (a missing value throws), context helpers registered once.
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../lab/load.js';
import { numberLiteral, rubyString, shellWord, yamlScalar } from './escape.js';
import type { TemplateEngine, TemplateFn, TemplateOwner } from './types.js';

/** A template's file: `name` inside `dir`, never outside it (a plugin's names cannot reach another folder). */
function inside(dir: string, name: string, whose: string): string {
  const file = resolve(dir, name);
  const rel = relative(dir, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`template ${JSON.stringify(name)} of ${whose} is outside its folder ${dir}`);
  return file;
}

/**
 * Creates the engine over labgen's shared templates directory; each plugin's templates are named relative to the
 * folder it declares (`templatesDir`). Compiled templates are cached per engine, by file.
 */
export function createEngine(sharedDir = join(packageRoot(), 'templates')): TemplateEngine {
  const hbs = Handlebars.create();
  hbs.registerHelper('ruby', (v: unknown) => rubyString(String(v)));
  hbs.registerHelper('sh', (v: unknown) => shellWord(String(v)));
  hbs.registerHelper('yaml', (v: unknown) => yamlScalar(v as string | number | boolean));
  hbs.registerHelper('num', (v: unknown) => numberLiteral(v));
  hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
  /** JSON embedded in YAML (e.g. a CNI's net-conf.json), indented to sit under a `|` block. */
  hbs.registerHelper('jsonBlock', (v: unknown, indent: unknown) => JSON.stringify(v, null, 2).split('\n').join(`\n${' '.repeat(Number(indent))}`));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('join', (items: unknown, sep: unknown) => (items as unknown[]).map((s) => shellWord(String(s))).join(String(sep)));
  const cache = new Map<string, HandlebarsTemplateDelegate>();
  const over = (dir: string | undefined, whose: string): TemplateFn => (name, context) => {
    if (dir === undefined) throw new Error(`${whose} has no templates folder (templatesDir) for template ${JSON.stringify(name)}`);
    const file = inside(dir, name, whose);
    let tpl = cache.get(file);
    if (!tpl) {
      tpl = hbs.compile(readFileSync(file, 'utf8'), { noEscape: true, strict: true, preventIndent: true });
      cache.set(file, tpl);
    }
    return tpl(context, { allowProtoPropertiesByDefault: false });
  };
  const shared = over(sharedDir, 'labgen');
  return { shared, plugin: (owner: TemplateOwner) => over(owner.templatesDir, owner.name) };
}
