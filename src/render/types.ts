// What rendering produces: files in memory, written once by the edge (src/io/write-project.ts).

/** One generated file, path relative to the lab directory. */
export interface RenderedFile {
  path: string;
  content: string;
  /** POSIX mode; scripts 0o755, secrets 0o600, the rest 0o644. */
  mode: number;
  /** Secrets are generated once per lab directory, kept on re-render, never printed and left out of golden files. */
  secret?: boolean;
}

/** Renders a named template with a context; provided by the private Handlebars engine (src/render/engine.ts). */
export type TemplateFn = (name: string, context: object) => string;

/** A plugin as the engine sees it: its name (for errors) and the folder of its own templates. */
export interface TemplateOwner {
  name: string;
  /** Its templates folder, beside its code: `templatesBeside(import.meta.url)` (src/render/templates-dir.ts). */
  templatesDir?: string;
}

/** The engine: labgen's shared templates (templates/ at the package root) and each plugin's own. */
export interface TemplateEngine {
  /** Templates every lab shares, named relative to templates/ (e.g. `Vagrantfile.hbs`). */
  shared: TemplateFn;
  /** A plugin's templates, named relative to its own templates folder (e.g. `base.sh.hbs`). */
  plugin(owner: TemplateOwner): TemplateFn;
}
