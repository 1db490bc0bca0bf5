// Escaping of user text that reqgate echoes into GitHub comments (issue titles, requirement titles,
// waiver reasons, configuration keys). Whatever a user typed, once it passes through here it cannot:
//   - mention anyone (`@name`, `@org/team`),
//   - create a cross-reference (`#123`, `owner/repo#1`, `GH-1`, a pasted issue URL),
//   - break the comment's layout (headings, lists, tables, code fences, HTML, links, images),
//   - open or close an HTML comment, so it cannot spoof or end reqgate's hidden marker.
// Every function here is linear in the length of its input.

/** U+200D ZERO WIDTH JOINER: invisible, and breaks GitHub's mention and reference autolinking. */
export const ZWJ = "\u200d";

// Control characters (except tab/newline, handled separately) and bidirectional overrides, which can
// make a line display differently from what it contains.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /\r\n|[\r\n\u2028\u2029\u0085]/g;
/** Characters with a Markdown or HTML meaning, escaped with a backslash (`<`, `>`, `&` become entities). */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|~<>&$:@]/g;

/**
 * User text for a single-line context (a list item, a table cell, a sentence): line breaks become spaces,
 * Markdown and HTML are shown literally, mentions and references are neutralised, and the result is at
 * most `maxLength` visible characters of the input (an ellipsis marks a cut).
 */
export function escapeInline(text: string, maxLength = 200): string {
  const flat = text.replace(LINE_BREAKS, " ").replace(/\t/g, " ").replace(INVISIBLE, "");
  const cut = truncate(flat.trim(), maxLength);
  return cut
    .replace(MARKDOWN_SPECIAL, escapeChar)
    .replace(/\b(gh)\\-/gi, `$1\\-${ZWJ}`)
    .replace(/\b(www)\\\./gi, `$1${ZWJ}\\.`);
}

function escapeChar(c: string): string {
  switch (c) {
    case "<":
      return "&lt;";
    case ">":
      return "&gt;";
    case "&":
      return "&amp;";
    // `@` and `#` would still autolink after a backslash escape: a joiner after them breaks
    // `@name`, `@org/team`, `#12` and `owner/repo#12`.
    case "@":
      return `@${ZWJ}`;
    case "#":
      return `\\#${ZWJ}`;
    // `://` starts an autolinked URL (and a pasted issue URL is a cross-reference).
    case ":":
      return `:${ZWJ}`;
    default:
      return `\\${c}`;
  }
}

/**
 * Text for a Markdown context that does its own escaping (the reports): every `@` followed by a joiner,
 * as escapeInline does, so that a pasted report mentions nobody (`@name`, `@org/team`).
 */
export function breakMentions(text: string): string {
  return text.replace(/@/g, `@${ZWJ}`);
}

function truncate(text: string, maxLength: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  return chars.slice(0, Math.max(0, maxLength - 1)).join("") + "…";
}

/**
 * Text shown as inline code. Inside a code span GitHub renders no mentions, references or Markdown;
 * the fence is made longer than any backtick run in the text, so the text cannot close it.
 */
export function inlineCode(text: string, maxLength = 200): string {
  // Code spans show `<!--` literally, but reqgate reads its own hidden blocks from the raw text: a
  // joiner keeps user text from looking like one.
  const flat = truncate(text.replace(LINE_BREAKS, " ").replace(INVISIBLE, "").trim(), maxLength)
    .replace(/<!/g, `<${ZWJ}!`)
    .replace(/->/g, `-${ZWJ}>`);
  if (flat === "") return "` `";
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A Markdown table row of already-escaped cells. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}
