// Work items (issues and pull requests) for the traceability report (SPEC 3, `reqgate report`).
// The input is an exported issue list: what `GET /repos/{owner}/{repo}/issues` returns (or what
// github/fetch-issues.ts maps it to), or `gh issue list --json number,title,body,state,labels,url`.
// It is untrusted data: every item is validated, a bad item becomes a diagnostic and is skipped,
// and nothing in it is ever executed or used as an object key.
import * as z from "zod";
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { findIds } from "../requirements/ids.js";

export interface WorkItem {
  number: number;
  title: string;
  state: "open" | "closed";
  /** The item's page on GitHub, when known; renderers link only http(s) URLs. */
  url?: string;
  labels: string[];
  isPullRequest: boolean;
  /** Requirement IDs named in the title or body, in order of first mention. */
  requirementIds: string[];
}

export interface WorkItemsResult {
  items: WorkItem[];
  diagnostics: Diagnostic[];
}

/** A broken export (say, a file of something else) would otherwise yield one diagnostic per item. */
const MAX_ITEM_DIAGNOSTICS = 20;
/** Bodies are scanned for IDs; a body past this size is cut (GitHub's own limit is 65,536 chars). */
const MAX_TEXT = 1 << 20;

/** zod's error for a wrong type: "is missing" when absent, otherwise what it must be. */
function expected(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is missing" : `must be ${what}`);
}

const Label = z.union([z.string(), z.looseObject({ name: z.string() })], {
  error: "must be a label name or an object with a `name`",
});

// Loose objects: REST issues carry dozens of keys we do not need. Unknown keys are dropped, not copied.
const IssueSchema = z.looseObject({
  number: z.number({ error: expected("a number") }).int("must be a whole number").positive("must be positive"),
  title: z.string({ error: expected("a string") }),
  body: z.string({ error: "must be a string or null" }).nullish(),
  state: z
    .string({ error: expected('"open" or "closed"') })
    .transform((s) => s.toLowerCase())
    // `gh pr list` exports MERGED: a merged pull request is closed work.
    .pipe(z.enum(["open", "closed", "merged"], { error: "must be \"open\" or \"closed\"" })),
  labels: z.array(Label, { error: "must be a list" }).nullish(),
  html_url: z.string({ error: "must be a string" }).nullish(),
  url: z.string({ error: "must be a string" }).nullish(),
  pull_request: z.unknown().optional(),
});

/**
 * Validates an exported issue list and extracts the requirement IDs each item names. Accepts a JSON
 * array of issues, or an object with an `items` array (the search API's shape). `file` names the
 * source in diagnostics.
 */
export function workItemsFromIssues(raw: unknown, prefixes: ReadonlySet<string>, file = "issues.json"): WorkItemsResult {
  const list = Array.isArray(raw) ? raw : isItemsEnvelope(raw) ? raw.items : undefined;
  if (list === undefined) {
    return {
      items: [],
      diagnostics: [diagnostic({ code: "issues-invalid", file, message: "expected a JSON array of issues", hint: "export them with `gh api --paginate repos/OWNER/REPO/issues?state=all` or use `--github OWNER/REPO`" })],
    };
  }

  const items: WorkItem[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<number>();
  let invalid = 0;
  list.forEach((entry: unknown, index) => {
    const where = `item ${index + 1}`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      invalid++;
      if (invalid <= MAX_ITEM_DIAGNOSTICS) diagnostics.push(diagnostic({ code: "issues-invalid", file, path: [index], message: `${where}: must be an issue object` }));
      return;
    }
    const parsed = IssueSchema.safeParse(entry);
    if (!parsed.success) {
      invalid++;
      if (invalid <= MAX_ITEM_DIAGNOSTICS) {
        const problems = parsed.error.issues.map((issue) => `${fieldName(issue.path)} ${issue.message}`);
        const first = parsed.error.issues[0]?.path[0];
        diagnostics.push(diagnostic({ code: "issues-invalid", file, path: typeof first === "string" ? [index, first] : [index], message: `${where}: ${problems.join("; ")}` }));
      }
      return;
    }
    const issue = parsed.data;
    if (seen.has(issue.number)) {
      diagnostics.push(diagnostic({ code: "issues-duplicate", severity: "warning", file, path: [index, "number"], message: `${where}: #${issue.number} appears more than once; the first one is used` }));
      return;
    }
    seen.add(issue.number);
    items.push(toWorkItem(issue, prefixes));
  });
  if (invalid > MAX_ITEM_DIAGNOSTICS) {
    diagnostics.push(diagnostic({ code: "issues-invalid", file, message: `${invalid - MAX_ITEM_DIAGNOSTICS} more items are invalid`, hint: "is this an exported GitHub issue list?" }));
  }
  return { items, diagnostics };
}

function toWorkItem(issue: z.output<typeof IssueSchema>, prefixes: ReadonlySet<string>): WorkItem {
  const text = `${issue.title}\n${issue.body ?? ""}`.slice(0, MAX_TEXT);
  const item: WorkItem = {
    number: issue.number,
    title: issue.title,
    state: issue.state === "open" ? "open" : "closed",
    labels: (issue.labels ?? []).map((l) => (typeof l === "string" ? l : l.name)),
    // REST marks pull requests with a `pull_request` object; issues have none (or null in some exports).
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    requirementIds: findIds(text, prefixes),
  };
  // In REST, `url` is the API address and `html_url` the page; in `gh` exports `url` is the page.
  const url = issue.html_url ?? (issue.url && !isApiUrl(issue.url) ? issue.url : undefined);
  if (url) item.url = url;
  return item;
}

function isApiUrl(url: string): boolean {
  return /^https?:\/\/api\./.test(url) || url.includes("/api/v3/");
}

function isItemsEnvelope(raw: unknown): raw is { items: unknown[] } {
  return raw !== null && typeof raw === "object" && Object.hasOwn(raw, "items") && Array.isArray((raw as { items: unknown }).items);
}

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "the item";
  const [head, ...rest] = path;
  const suffix = rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return `\`${String(head)}${suffix}\``;
}
