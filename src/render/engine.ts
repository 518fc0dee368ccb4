// The private Handlebars instance: HTML escaping off, strict (a missing value throws), context helpers registered once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../lab/load.js';
import { numberLiteral, rubyString, shellWord, yamlScalar } from './escape.js';
import type { TemplateFn } from './types.js';

/** Creates a template function over a templates directory; compiled templates are cached per engine. */
export function createEngine(templatesDir = join(packageRoot(), 'templates')): TemplateFn {
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
  return (name, context) => {
    let tpl = cache.get(name);
    if (!tpl) {
      tpl = hbs.compile(readFileSync(join(templatesDir, name), 'utf8'), { noEscape: true, strict: true, preventIndent: true });
      cache.set(name, tpl);
    }
    return tpl(context, { allowProtoPropertiesByDefault: false });
  };
}
