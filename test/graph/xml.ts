// A tiny strict XML well-formedness checker and tree reader for the graph tests (no dependency).

/** An element as read. */
export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function decode(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`${where}: raw < in character data`);
  return raw.replace(/&([^;&\s]*);?/g, (m, body: string) => {
    if (!m.endsWith(';')) throw new Error(`${where}: & not starting an entity reference: ${JSON.stringify(m)}`);
    if (body in ENTITIES) return ENTITIES[body]!;
    const num = /^#([0-9]+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (num) return String.fromCodePoint(parseInt(num[1]!, body[1] === 'x' ? 16 : 10));
    throw new Error(`${where}: unknown entity &${body};`);
  });
}

/** Parses a document; throws with the reason at the first well-formedness error. Rejects DOCTYPEs (no entity tricks). */
export function parseXml(doc: string): XmlElement {
  if (FORBIDDEN.test(doc)) throw new Error('a character XML forbids');
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipProlog = () => {
    if (doc.startsWith('<?xml', i)) { const e = doc.indexOf('?>', i); if (e < 0) throw new Error('unterminated XML declaration'); i = e + 2; }
  };
  skipProlog();
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = lt < 0 ? doc.slice(i) : doc.slice(i, lt);
    if (stack.length === 0) { if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text.slice(0, 40))}`); }
    else stack[stack.length - 1]!.text += decode(text, stack[stack.length - 1]!.name);
    if (text.includes('>') && /\]\]>/.test(text)) throw new Error(']]> in character data');
    if (lt < 0) break;
    i = lt;
    if (doc.startsWith('<!--', i)) { const e = doc.indexOf('-->', i); if (e < 0) throw new Error('unterminated comment'); i = e + 3; continue; }
    if (doc.startsWith('<!', i) || doc.startsWith('<?', i)) throw new Error(`unexpected markup at ${i}: ${doc.slice(i, i + 20)}`);
    if (doc.startsWith('</', i)) {
      const m = NAME.exec(doc.slice(i + 2));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[0]) throw new Error(`end tag </${m[0]}> does not match <${open?.name ?? '(none)'}>`);
      i += 2 + m[0].length;
      while (/\s/.test(doc[i] ?? '')) i++;
      if (doc[i] !== '>') throw new Error(`bad end tag </${m[0]}>`);
      i++;
      continue;
    }
    const m = NAME.exec(doc.slice(i + 1));
    if (!m) throw new Error(`bad start tag at ${i}: ${doc.slice(i, i + 20)}`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(doc.slice(i))![0].length;
      i += ws;
      if (doc.startsWith('/>', i)) { i += 2; break; }
      if (doc[i] === '>') { i++; stack.push(el); break; }
      if (ws === 0) throw new Error(`<${el.name}>: attributes must be separated by white space`);
      const a = /^([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(doc.slice(i));
      if (!a) throw new Error(`<${el.name}>: bad attribute at ${doc.slice(i, i + 30)}`);
      if (a[1]! in el.attrs) throw new Error(`<${el.name}>: duplicate attribute ${a[1]}`);
      el.attrs[a[1]!] = decode(a[3] ?? a[4] ?? '', `${el.name}@${a[1]}`);
      i += a[0].length;
    }
    const parent = stack[stack.length - (stack[stack.length - 1] === el ? 2 : 1)];
    if (parent) parent.children.push(el);
    else { if (root) throw new Error('more than one root element'); root = el; }
  }
  if (stack.length) throw new Error(`unclosed element <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element of a tree, depth first. */
export function allElements(el: XmlElement): XmlElement[] { return [el, ...el.children.flatMap(allElements)]; }
