// The one codec of reqgate's hidden records: HTML comments that GitHub does not render, in the comments
// and check runs the App writes. Every marker reqgate reads or writes is named here.
//
//   <!-- reqgate:issue -->                 first line of the one comment on an issue
//   <!-- reqgate:reply 123 -->             first line of the reply to command comment 123
//   <!-- reqgate:state {json} -->          the signed waiver of an issue (end of the issue comment)
//   <!-- reqgate:approvals {json} -->      the approval ledger (start of a reqgate/baseline summary)
//   <!-- reqgate:claims {json} -->         what a pull request adds and changes (SPEC 2.7; the record after the
//                                          ledger at the start of a reqgate/baseline summary)
//   <!-- reqgate:waiver {json} -->         a pull request's waiver (start of a reqgate/trace summary)
//   <!-- reqgate:suspect {json} -->        a pull request's suspect marks and reviews (leading records of a
//                                          reqgate/trace summary; an issue keeps them in its signed state)
//   <!-- reqgate:dashboard -->             first line of the traceability dashboard issue's body
//   <!-- reqgate:dashboard-state {json} --> the dashboard's signed state (end of its body)
//
// A payload is JSON in which `<`, `>` and `&` are \u escapes, so nothing inside can end the comment early.
// Readers never throw: a missing, cut or malformed record reads as undefined.

export const MARKER = {
  issue: "reqgate:issue",
  reply: "reqgate:reply",
  state: "reqgate:state",
  approvals: "reqgate:approvals",
  claims: "reqgate:claims",
  waiver: "reqgate:waiver",
  suspect: "reqgate:suspect",
  dashboard: "reqgate:dashboard",
  dashboardState: "reqgate:dashboard-state",
} as const;

export type MarkerName = (typeof MARKER)[keyof typeof MARKER];

/** `<!-- name -->`, or `<!-- name payload -->` with JSON data. */
export function writeHidden(name: MarkerName, data?: unknown): string {
  if (data === undefined) return `<!-- ${name} -->`;
  const json = JSON.stringify(data).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<!-- ${name} ${json} -->`;
}

/**
 * The payload of a record at the very start of `text` (the summaries of check runs: user text shown
 * further down cannot forge one). Undefined when absent or malformed.
 */
export function readHiddenAtStart(text: string | null | undefined, name: MarkerName): unknown {
  const prefix = `<!-- ${name} `;
  if (typeof text !== "string" || !text.startsWith(prefix)) return undefined;
  return payload(text, prefix.length);
}

/**
 * The payload of a record named `name` among the records that open `text`, one per line, before any
 * other text (a summary can carry several: a waiver, then suspect marks). Undefined when absent.
 */
export function readHiddenLeading(text: string | null | undefined, name: MarkerName): unknown {
  if (typeof text !== "string") return undefined;
  let from = 0;
  for (let n = 0; n < 8 && text.startsWith("<!-- reqgate:", from); n++) {
    if (text.startsWith(`<!-- ${name} `, from)) return payload(text, from + name.length + 6);
    const end = text.indexOf(" -->", from);
    if (end < 0) return undefined;
    from = end + 4;
    if (text[from] === "\n") from++;
  }
  return undefined;
}

/** The payload of the last record named `name` in `text` (the issue comment's state block is appended last). */
export function readHiddenLast(text: string, name: MarkerName): unknown {
  const start = text.lastIndexOf(`<!-- ${name} `);
  if (start < 0) return undefined;
  return payload(text, start + name.length + 6);
}

function payload(text: string, from: number): unknown {
  const end = text.indexOf(" -->", from);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(from, end)) as unknown;
  } catch {
    return undefined;
  }
}

/** Marks reqgate's reply to one command comment, so that a redelivered command is not answered twice. */
export function replyMarker(commentId: number): string {
  return `<!-- ${MARKER.reply} ${commentId} -->`;
}

/** The command comment a reply of reqgate's answers, from its first line; undefined for any other text. */
export function repliedTo(body: string): number | undefined {
  const match = /^<!-- reqgate:reply ([0-9]{1,16}) -->/.exec(body);
  return match ? Number(match[1]) : undefined;
}
