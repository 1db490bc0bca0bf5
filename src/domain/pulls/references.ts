// Issues a pull request's description points at (SPEC 2.2): closing keywords and plain mentions, outside
// quotes and code. Linear patterns only, so a hostile description cannot backtrack.
export interface RepoName {
  owner: string;
  repo: string;
  /** The web host, "github.com" unless GitHub Enterprise Server. */
  host?: string;
}

export interface PullReferences {
  /** Issues after a closing keyword (`Fixes #12`), in order of first mention. */
  closes: number[];
  /** Other issues mentioned (`#12`, `GH-12`, `owner/repo#12`, an issue URL), not in `closes`. */
  mentions: number[];
}

// Linear patterns only: bounded repetitions, no nested quantifiers, so hostile bodies cannot backtrack.
const SLUG = "[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}";
const ISSUE_URL = "https?://([^\\s/]{1,253})/([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100})/issues/([0-9]{1,9})";
const CLOSING = new RegExp(
  `(?<![A-Za-z0-9_])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?::?[ \\t]+|:)(?:(${SLUG})?#([0-9]{1,9})|${ISSUE_URL})(?![A-Za-z0-9_/#-])`,
  "gi",
);
const MENTION = new RegExp(`(?<![A-Za-z0-9_&/#-])(?:(${SLUG})?#([0-9]{1,9})|GH-([0-9]{1,9}))(?![A-Za-z0-9_])`, "gi");
const URL_MENTION = new RegExp(`${ISSUE_URL}(?![0-9])`, "gi");

/**
 * The issues a pull request's body closes (GitHub's closing keywords: close, closes, closed, fix, fixes,
 * fixed, resolve, resolves, resolved; any case; an optional colon) and the ones it only mentions. Only
 * references to `repo` count; code and HTML comments (a template's `<!-- Fixes #123 -->`) do not.
 */
export function closingReferences(body: string, repo: RepoName): PullReferences {
  const text = proseOnly(body);
  const host = (repo.host ?? "github.com").toLowerCase();
  const same = (slug: string | undefined) => slug === undefined || slug.toLowerCase() === `${repo.owner}/${repo.repo}`.toLowerCase();
  const sameUrl = (h: string, o: string, r: string) => h.toLowerCase() === host && same(`${o}/${r}`);

  const closes = new Set<number>();
  for (const m of text.matchAll(CLOSING)) {
    if (m[2] !== undefined && same(m[1])) closes.add(Number(m[2]));
    else if (m[6] !== undefined && sameUrl(m[3]!, m[4]!, m[5]!)) closes.add(Number(m[6]));
  }
  const mentions = new Set<number>();
  for (const m of text.matchAll(MENTION)) {
    if (m[2] !== undefined && same(m[1])) mentions.add(Number(m[2]));
    else if (m[3] !== undefined) mentions.add(Number(m[3]));
  }
  for (const m of text.matchAll(URL_MENTION)) if (sameUrl(m[1]!, m[2]!, m[3]!)) mentions.add(Number(m[4]));
  return { closes: [...closes].filter((n) => n > 0), mentions: [...mentions].filter((n) => n > 0 && !closes.has(n)) };
}

/** The body without fenced code, inline code and HTML comments; one pass over the text. */
function proseOnly(body: string): string {
  // HTML comments first, by index: a lazy regex would rescan the rest of the text for every `<!--`.
  let noComments = "";
  let at = 0;
  for (;;) {
    const open = body.indexOf("<!--", at);
    if (open < 0) {
      noComments += body.slice(at);
      break;
    }
    noComments += body.slice(at, open) + " ";
    const close = body.indexOf("-->", open + 4);
    if (close < 0) break;
    at = close + 3;
  }
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  for (const line of noComments.split(/\r\n|\r|\n/)) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && line.slice(marker[0].length).trim() === "") fence = undefined;
      continue;
    }
    if (marker) {
      fence = { char: marker[1]![0]!, length: marker[1]!.length };
      continue;
    }
    out.push(line.replace(/`[^`]*`/g, " "));
  }
  return out.join("\n");
}
