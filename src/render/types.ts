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

/** Renders a named template from templates/ with a context; provided by the private Handlebars engine. */
export type TemplateFn = (name: string, context: object) => string;
