// reqgate's text and ReqIF's XHTML (ATTRIBUTE-VALUE-XHTML, the "ReqIF.Text" of DOORS, Polarion, Jama).
//
// reqgate text is plain text, often written with a little Markdown. Out: blank-line-separated paragraphs
// become <p>, a paragraph whose every line starts with "- " or "* " (or "1. ") a <ul> (or <ol>); the text
// itself is carried as is, never interpreted. In: XHTML as other tools write it, to text a person would
// have typed: paragraphs and headings separated by a blank line, list items as "- " or "1. " lines
// (nested lists indented), <em>/<i> as *x*, <strong>/<b> as **x**, <code> as `x`, <a> as [text](href),
// <br> as a line break, whitespace folded as a browser does. What has no plain-text form (images and
// other embedded objects, tables, sub- and superscript, underline, strike-through, unknown elements) is
// reported as lost, with the element, so an import can say what it could not carry.
import { childrenOf, el, isText, localNameOf, nameOf, attr, text, textOf, type XmlNode } from "./xml-nodes.js";

/** A part of the XHTML that did not survive as text: the element and why. */
export interface XhtmlLoss {
  node: XmlNode;
  element: string;
  reason: string;
}

const BULLET = /^[-*] +\S/;
const NUMBERED = /^\d{1,9}[.)] +\S/;

/** reqgate text as the content of one ATTRIBUTE-VALUE-XHTML: `<xhtml:div>` holding <p>, <ul> and <ol>. */
export function textToXhtml(value: string): XmlNode {
  const blocks = value.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n/).map((b) => b.trim()).filter((b) => b !== "");
  const children = blocks.map((block) => {
    const lines = block.split("\n").map((l) => l.trim());
    if (lines.length > 0 && lines.every((l) => BULLET.test(l))) return el("xhtml:ul", {}, lines.map((l) => el("xhtml:li", {}, [text(l.replace(/^[-*] +/, ""))])));
    if (lines.length > 0 && lines.every((l) => NUMBERED.test(l))) return el("xhtml:ol", {}, lines.map((l) => el("xhtml:li", {}, [text(l.replace(/^\d{1,9}[.)] +/, ""))])));
    return el("xhtml:p", {}, [text(block)]);
  });
  return el("xhtml:div", {}, children);
}

const BLOCK = new Set(["div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre", "blockquote", "address", "hr", "object", "img"]);
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "address", "dt", "dd", "caption"]);
const CONTAINER = new Set(["div", "blockquote", "body", "html", "dl", "thead", "tbody", "tfoot"]);
const EMPHASIS = new Set(["em", "i", "cite", "dfn", "var"]);
const STRONG = new Set(["strong", "b"]);
const CODE = new Set(["code", "tt", "kbd", "samp"]);
/** Inline elements whose text is all there is to keep. */
const PLAIN = new Set(["span", "font", "abbr", "acronym", "q", "small", "big", "ins", "label", "bdo"]);
const LOST_FORMAT: Record<string, string> = {
  sub: "subscript is kept as plain text",
  sup: "superscript is kept as plain text",
  u: "underline is kept as plain text",
  s: "strike-through is kept as plain text (the struck text is still there)",
  strike: "strike-through is kept as plain text (the struck text is still there)",
  del: "deleted text is kept as plain text (the deleted text is still there)",
};

// A line break inside inline text survives whitespace folding as this character, turned into "\n" last.
const BR = "\u0000";

/** The XHTML content of an attribute value (the children of THE-VALUE) as reqgate text. */
export function xhtmlToText(nodes: readonly XmlNode[]): { text: string; lost: XhtmlLoss[] } {
  const lost: XhtmlLoss[] = [];
  const blocks: string[] = [];
  renderBlocks(nodes, blocks, lost);
  return { text: blocks.join("\n\n"), lost };
}

function renderBlocks(nodes: readonly XmlNode[], out: string[], lost: XhtmlLoss[]): void {
  let inline: XmlNode[] = [];
  const flush = () => {
    const paragraph = finishInline(inlineText(inline, lost));
    if (paragraph !== "") out.push(paragraph);
    inline = [];
  };
  for (const node of nodes) {
    const name = localNameOf(node)?.toLowerCase();
    if (name === undefined || !BLOCK.has(name)) {
      if (name !== undefined || isText(node)) inline.push(node);
      continue;
    }
    flush();
    renderBlock(node, name, out, lost);
  }
  flush();
}

function renderBlock(node: XmlNode, name: string, out: string[], lost: XhtmlLoss[]): void {
  const children = childrenOf(node);
  if (CONTAINER.has(name)) return renderBlocks(children, out, lost);
  if (PARAGRAPH.has(name)) {
    const paragraph = finishInline(inlineText(children, lost));
    if (paragraph !== "") out.push(paragraph);
    return;
  }
  switch (name) {
    case "ul":
    case "ol": {
      const lines = listLines(node, name, 0, lost);
      if (lines.length > 0) out.push(lines.join("\n"));
      return;
    }
    case "pre": {
      const raw = plainText(children).replace(/^\n/, "").replace(/\s+$/, "");
      if (raw !== "") out.push(raw);
      return;
    }
    case "table": {
      const rows = tableRows(node, lost);
      if (rows.length > 0) out.push(rows.join("\n"));
      lost.push({ node, element: nameOf(node)!, reason: "a table is flattened into one line per row, cells separated by \" | \"" });
      return;
    }
    case "hr":
      return;
    default: // object, img
      lost.push({ node, element: nameOf(node)!, reason: embeddedReason(node) });
  }
}

function listLines(list: XmlNode, kind: string, depth: number, lost: XhtmlLoss[]): string[] {
  const lines: string[] = [];
  const indent = "  ".repeat(depth);
  let n = 0;
  for (const item of childrenOf(list)) {
    const name = localNameOf(item)?.toLowerCase();
    if (name !== "li") {
      if (name !== undefined) lost.push({ node: item, element: nameOf(item)!, reason: `a <${name}> directly inside a list is not a list item: left out` });
      continue;
    }
    n++;
    const own: XmlNode[] = [];
    const nested: string[] = [];
    for (const child of childrenOf(item)) {
      const childName = localNameOf(child)?.toLowerCase();
      if (childName === "ul" || childName === "ol") nested.push(...listLines(child, childName, depth + 1, lost));
      else own.push(child);
    }
    const marker = kind === "ol" ? `${n}. ` : "- ";
    const body = finishInline(inlineText(own, lost)).replace(/\n/g, `\n${indent}  `);
    lines.push(`${indent}${marker}${body}`, ...nested);
  }
  return lines;
}

function tableRows(table: XmlNode, lost: XhtmlLoss[]): string[] {
  const rows: string[] = [];
  const stack: XmlNode[] = [...childrenOf(table)].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    const name = localNameOf(node)?.toLowerCase();
    if (name === "tr") {
      const cells = childrenOf(node).filter((c) => ["td", "th"].includes(localNameOf(c)?.toLowerCase() ?? ""));
      const line = cells.map((c) => finishInline(inlineText(childrenOf(c), lost)).replace(/\n/g, " ")).join(" | ");
      if (line.trim() !== "") rows.push(line);
    } else if (name !== undefined) {
      stack.push(...[...childrenOf(node)].reverse());
    }
  }
  return rows;
}

/** Inline content as one string: whitespace folded as a browser does, line breaks as BR. */
function inlineText(nodes: readonly XmlNode[], lost: XhtmlLoss[]): string {
  let out = "";
  for (const node of nodes) {
    if (isText(node)) {
      out += textOf(node).replaceAll(BR, "").replace(/[ \t\n\r\f]+/g, " ");
      continue;
    }
    const qualified = nameOf(node);
    if (qualified === undefined) continue;
    const name = localNameOf(node)!.toLowerCase();
    const children = childrenOf(node);
    if (name === "br") {
      out += BR;
    } else if (EMPHASIS.has(name)) {
      out += wrap(inlineText(children, lost), "*");
    } else if (STRONG.has(name)) {
      out += wrap(inlineText(children, lost), "**");
    } else if (CODE.has(name)) {
      out += wrap(inlineText(children, lost), "`");
    } else if (name === "a") {
      const label = inlineText(children, lost);
      const href = attr(node, "href");
      out += href && href.trim() !== "" && label.trim() !== href.trim() ? `${lead(label)}[${label.trim()}](${href.trim()})${trail(label)}` : label;
    } else if (PLAIN.has(name)) {
      out += inlineText(children, lost);
    } else if (LOST_FORMAT[name] !== undefined) {
      lost.push({ node, element: qualified, reason: LOST_FORMAT[name] });
      out += inlineText(children, lost);
    } else if (name === "object" || name === "img") {
      lost.push({ node, element: qualified, reason: embeddedReason(node) });
    } else if (BLOCK.has(name) || name === "li" || name === "tr" || name === "td" || name === "th") {
      // A block inside inline content (a <div> in a <span>): its text, on a line of its own.
      const inner: string[] = [];
      renderBlocks([node], inner, lost);
      if (inner.length > 0) out += `${BR}${inner.join(BR)}${BR}`;
    } else {
      lost.push({ node, element: qualified, reason: `<${name}> is not an XHTML element reqgate knows: its text is kept, its meaning is not` });
      out += inlineText(children, lost);
    }
  }
  return out;
}

function wrap(inner: string, mark: string): string {
  const core = inner.trim();
  return core === "" ? inner : `${lead(inner)}${mark}${core}${mark}${trail(inner)}`;
}

function lead(s: string): string {
  return /^\s/.test(s) ? " " : "";
}

function trail(s: string): string {
  return /\s$/.test(s) ? " " : "";
}

/** Folded inline text to its final form: spaces around line breaks dropped, ends trimmed. */
function finishInline(s: string): string {
  // eslint-disable-next-line no-control-regex -- BR is a control character on purpose (never in folded text)
  return s.replace(/ *\u0000 */g, "\n").replace(/ {2,}/g, " ").replace(/^\n+|\n+$/g, "").trim();
}

function plainText(nodes: readonly XmlNode[]): string {
  let out = "";
  const stack: XmlNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isText(node)) out += textOf(node);
    else if (localNameOf(node)?.toLowerCase() === "br") out += "\n";
    else stack.push(...[...childrenOf(node)].reverse());
  }
  return out;
}

function embeddedReason(node: XmlNode): string {
  const what = attr(node, "data") ?? attr(node, "src");
  const type = attr(node, "type");
  const described = [type, what].filter((x) => x !== undefined && x !== "").join(" ");
  return `an embedded ${localNameOf(node)!.toLowerCase() === "img" ? "image" : "object"}${described ? ` (${described})` : ""} has no plain-text form: it is left out of the text`;
}
