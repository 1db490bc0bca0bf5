// The ordered node shape of fast-xml-parser and its XMLBuilder (`preserveOrder: true`): an element is
// `{ [name]: children, ":@"?: attributes }`, a text node `{ "#text": text }`. Order matters in both
// directions: the children of a SPECIFICATION tree and mixed XHTML content keep their sequence.
// Helpers to build and read that shape; names are compared by their local part (after any prefix), so
// `xhtml:p`, `reqif-xhtml:p` and `p` read alike.

export type XmlAttributes = Record<string, string>;
export interface XmlElement {
  [name: string]: XmlNode[] | XmlAttributes | string | undefined;
}
export type XmlNode = XmlElement;

const ATTRS = ":@";
const TEXT = "#text";

/** An element for the builder. Attributes whose value is undefined are left out. */
export function el(name: string, attrs: Record<string, string | undefined> = {}, children: XmlNode[] = []): XmlNode {
  const node: XmlNode = { [name]: children };
  const kept: XmlAttributes = {};
  let any = false;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    kept[k] = v;
    any = true;
  }
  if (any) node[ATTRS] = kept;
  return node;
}

export function text(value: string): XmlNode {
  return { [TEXT]: value };
}

/** The element's qualified name, or undefined for a text node (and the parser's other node kinds). */
export function nameOf(node: XmlNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ATTRS && key !== TEXT && !key.startsWith("?") && !key.startsWith("#")) return key;
  return undefined;
}

export function localName(qualified: string): string {
  const at = qualified.indexOf(":");
  return at === -1 ? qualified : qualified.slice(at + 1);
}

export function localNameOf(node: XmlNode): string | undefined {
  const name = nameOf(node);
  return name === undefined ? undefined : localName(name);
}

export function isText(node: XmlNode): boolean {
  return typeof node[TEXT] === "string" || typeof node[TEXT] === "number";
}

export function textOf(node: XmlNode): string {
  const value = node[TEXT];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function childrenOf(node: XmlNode): XmlNode[] {
  const name = nameOf(node);
  const value = name === undefined ? undefined : node[name];
  return Array.isArray(value) ? value : [];
}

export function attrsOf(node: XmlNode): XmlAttributes {
  const value = node[ATTRS];
  return value !== undefined && typeof value === "object" && !Array.isArray(value) ? value : {};
}

export function attr(node: XmlNode, name: string): string | undefined {
  const value = attrsOf(node)[name];
  return typeof value === "string" ? value : undefined;
}

/** The child elements with this local name. */
export function elements(node: XmlNode, local: string): XmlNode[] {
  return childrenOf(node).filter((c) => localNameOf(c) === local);
}

export function element(node: XmlNode, local: string): XmlNode | undefined {
  return childrenOf(node).find((c) => localNameOf(c) === local);
}

/** The child elements of every child with this local name: `<TYPE><X-REF>…</X-REF></TYPE>` → [X-REF]. */
export function within(node: XmlNode, local: string): XmlNode[] {
  return elements(node, local).flatMap((c) => childrenOf(c).filter((x) => nameOf(x) !== undefined));
}

/** Concatenated text of an element's direct text children, e.g. the content of `<SPEC-OBJECT-REF>`. */
export function ownText(node: XmlNode): string {
  return childrenOf(node).filter(isText).map(textOf).join("");
}
