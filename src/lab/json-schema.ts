// The small subset of JSON Schema labgen writes by hand, typed loosely so registries can contribute fragments.

/** A JSON Schema node (draft-07 subset used by labgen), plus `x-fix`: the hint shown when it fails. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  description?: string;
  examples?: unknown[];
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  $schema?: string;
  $id?: string;
  title?: string;
  'x-fix'?: string;
};

/** Patterns shared by the lab schema and the registries' option schemas (strict: they also keep values inert in Ruby/shell/YAML). */
export const patterns = {
  ipv4: '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$',
  cidr4: '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}/([0-9]|[12][0-9]|3[0-2])$',
  /** A Vagrant machine name: also a shell word and a Ruby string without quoting surprises. */
  nodeName: '^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$',
  /** RFC 1123 host name (lower case, as Kubernetes node names must be), dots allowed. */
  hostname: '^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$',
  labName: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$',
  box: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  boxVersion: '^[0-9]+(\\.[0-9]+){0,3}$',
  /** A pinned plugin version such as v3.33.0 (the plugin's enum decides which). */
  version: '^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$',
  /**
   * A Linux interface name. The kernel's rule (dev_valid_name in net/core/dev.c): 1 to IFNAMSIZ-1 = 15 bytes, not
   * "." or "..", no '/', ':' or whitespace. labgen is stricter: ASCII letters, digits, '_', '.', '-' only (so bytes
   * are characters and the name is an inert shell word), and no leading '-' (it would read as an option to ip/tcpdump).
   */
  hostInterface: '^(?!\\.\\.?$)(?!-)[A-Za-z0-9_.-]{1,15}$',
  /** The guest's pod-network NIC: a Linux interface name as hostInterface, or `auto`. */
  interface: '^(auto|(?!\\.\\.?$)(?!-)[A-Za-z0-9_.-]{1,15})$',
  /**
   * Free text: one line that cannot drive the terminal. Refused: C0 controls and DEL (ESC starts escape sequences),
   * C1 controls U+0080-U+009F (U+009B is a one-character CSI), line/paragraph separators U+2028/U+2029, and the
   * bidirectional embeddings, overrides and isolates U+202A-U+202E and U+2066-U+2069 (they reorder what is shown).
   */
  text: '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$',
} as const;

/** The fix shown when free text holds a character `patterns.text` refuses. */
export const TEXT_FIX = 'write one line of plain text: no escape or control characters (ESC, U+0000-U+001F, U+007F-U+009F), no bidirectional overrides or isolates (U+202A-U+202E, U+2066-U+2069), no line or paragraph separators (U+2028, U+2029)';

/** The fix shown when an interface name breaks the kernel's rules (or labgen's stricter ones). */
export const INTERFACE_FIX = 'write a Linux interface name: 1 to 15 of A-Z a-z 0-9 _ . -, not starting with "-", not "." or ".." (e.g. enp0s8, vboxnet0)';

/** An object schema that rejects unknown keys (every object in a lab file is closed). */
export function closedObject(properties: Record<string, JsonSchema>, required: string[] = [], extra: Partial<JsonSchema> = {}): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false, ...extra };
}
