// Registries for the things that grow: CNI plugins, OS families, providers. Adding one is a folder plus one line in src/registries.ts.

/** A named set of plug-ins; unknown names get an error listing the known ones. */
export class Registry<T extends { name: string }> {
  private readonly items = new Map<string, T>();
  constructor(readonly kind: string, items: readonly T[]) {
    for (const item of items) {
      if (this.items.has(item.name)) throw new Error(`${kind} "${item.name}" is registered twice`);
      this.items.set(item.name, item);
    }
  }
  get(name: string): T | undefined { return this.items.get(name); }
  /** Looks up a name that validation already accepted. */
  require(name: string): T {
    const item = this.items.get(name);
    if (!item) throw new Error(`${this.kind} "${name}" is not registered; known: ${this.names().join(', ')}`);
    return item;
  }
  names(): string[] { return [...this.items.keys()]; }
  /** The first registered item: the default when a lab names none (src/registries.ts lists the shipped default first). */
  first(): T {
    const item = this.items.values().next().value;
    if (!item) throw new Error(`no ${this.kind} is registered`);
    return item;
  }
  all(): T[] { return [...this.items.values()]; }
  /** A copy with one more item (tests plug a fake plugin in this way). */
  with(item: T): Registry<T> { return new Registry(this.kind, [...this.items.values(), item]); }
  /** The message for an unknown name, in containerlab's form. */
  unknown(name: string): string { return `${this.kind} "${name}" is not supported. Supported ${this.kind}s are [${this.names().join(', ')}]`; }
}
