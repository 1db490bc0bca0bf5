// The traceability dashboard's GitHub side for handler tests (strict nock): its GraphQL query, the
// default branch's tree and blobs, and a small requirement set with parents, an owner and evidence.
import { createHmac } from "node:crypto";
import nock from "nock";
import type { LockEntry } from "../../src/domain/baseline/baseline.js";
import { API, LOCK_PATH, lockEntry, lockText, OWNER, REPO, REPO_ID, SECRET } from "./github-app.js";

export interface IssueNode {
  number: number;
  title: string;
  body: string;
  state?: "OPEN" | "CLOSED";
  labels?: string[];
  updatedAt?: string;
}

export function mockDashboardQuery(issues: IssueNode[], dashboards: Array<{ number: number; body: string; bot?: boolean }> = [], seen?: Array<Record<string, unknown>>): void {
  nock(API)
    .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateDashboard"))
    .reply(200, (_uri, body) => {
      seen?.push((body as { variables: Record<string, unknown> }).variables);
      return {
        data: {
          repository: {
            config: null,
            dashboards: { nodes: dashboards.map((d) => ({ number: d.number, body: d.body, author: d.bot === false ? { __typename: "User", login: "mallory" } : { __typename: "Bot", login: "reqgate" } })) },
            issues: {
              pageInfo: { hasNextPage: false, endCursor: null },
              nodes: issues.map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state ?? "OPEN", updatedAt: i.updatedAt ?? "2026-01-01T00:00:00Z", labels: { nodes: (i.labels ?? []).map((name) => ({ name })) } })),
            },
          },
          ownerDefaults: { config: null },
        },
      };
    });
}

/**
 * One page of the dashboard query, matched by where it starts (`after`, `since`): `next` is the cursor
 * of the page after it (none: the last page), `total` the count of the pass's issues and `count` that of
 * the repository's (the first request of an update only, as the query asks). `seen` gets the variables.
 */
export function mockIssuePage(page: { after: string | null; since: string | null; issues: IssueNode[]; next?: string; total?: number; count?: number; dashboards?: Array<{ number: number; body: string }>; config?: string }, seen?: Array<Record<string, unknown>>): void {
  nock(API)
    .post("/graphql", (b: { query: string; variables: Record<string, unknown> }) => b.query.includes("query reqgateDashboard") && b.variables.after === page.after && b.variables.since === page.since)
    .reply(200, (_uri, body) => {
      const variables = (body as { variables: Record<string, unknown> }).variables;
      seen?.push(variables);
      const first = variables.first === true;
      const issues = {
        ...(page.total !== undefined ? { totalCount: page.total } : {}),
        pageInfo: { hasNextPage: page.next !== undefined, endCursor: page.next ?? null },
        nodes: page.issues.map((i) => ({ number: i.number, title: i.title, body: i.body, state: i.state ?? "OPEN", updatedAt: i.updatedAt ?? "2026-01-01T00:00:00Z", labels: { nodes: (i.labels ?? []).map((name) => ({ name })) } })),
      };
      const dashboards = { nodes: (page.dashboards ?? []).map((d) => ({ number: d.number, body: d.body, author: { __typename: "Bot", login: "reqgate" } })) };
      const config = page.config === undefined ? null : { text: page.config, isTruncated: false };
      return { data: first ? { repository: { config, dashboards, ...(page.count !== undefined ? { count: { totalCount: page.count } } : {}), issues }, ownerDefaults: { config: null } } : { repository: { issues } } };
    });
}

export const sha = (n: number): string => n.toString(16).padStart(40, "0");

/** The requirement set of these tests: REQ-010 refines into REQ-011 (owned), REQ-012 has evidence, REQ-014 nothing. */
export const ENTRIES_D: LockEntry[] = [
  lockEntry("REQ-010", "Secure sign-in"),
  lockEntry("REQ-011", "Lock account after repeated failed logins"),
  lockEntry("REQ-012", "Export the audit log as CSV"),
  lockEntry("REQ-013", "Rate-limit the public API"),
  lockEntry("REQ-014", "Print receipts"),
  lockEntry("REQ-015", "Old login page", { status: "retired", supersededBy: "REQ-011" }),
];
export const FILES: Record<string, { sha: string; text: string }> = {
  "requirements/REQ-010.yml": { sha: sha(10), text: "id: REQ-010\ntitle: Secure sign-in\ntext: The system shall sign users in securely.\n" },
  "requirements/REQ-011.yml": { sha: sha(11), text: 'id: REQ-011\ntitle: Lock account after repeated failed logins\ntext: The system shall lock.\nparents: [REQ-010]\nowner: "@acme/security"\n' },
  "requirements/REQ-012.yml": { sha: sha(12), text: "id: REQ-012\ntitle: Export the audit log as CSV\ntext: The system shall export.\n" },
  "requirements/REQ-013.yml": { sha: sha(13), text: "id: REQ-013\ntitle: Rate-limit the public API\ntext: The system shall rate-limit.\n" },
  "requirements/REQ-014.yml": { sha: sha(14), text: "id: REQ-014\ntitle: Print receipts\ntext: The system shall print.\n" },
  "test/audit.test.ts": { sha: sha(20), text: "// @verifies REQ-012\ntest('exports', () => {});\n" },
};

export function mockDashboardLock(): void {
  nock(API).get(LOCK_PATH).reply(200, lockText(ENTRIES_D), { etag: '"lock-d1"', "content-type": "text/plain; charset=utf-8" });
}

/** The default branch's tree (the fixture repository's default branch is master). */
export function mockTree(files: Record<string, { sha: string; text: string }> = FILES, options: { notModified?: boolean } = {}): void {
  const scope = nock(API).get(`/repos/${OWNER}/${REPO}/git/trees/master`).query({ recursive: "1" });
  if (options.notModified) {
    scope.matchHeader("if-none-match", '"tree-1"').reply(304, "", { etag: '"tree-1"' });
    return;
  }
  scope.reply(200, { sha: "f".repeat(40), truncated: false, tree: [{ path: "README.md", type: "blob", sha: sha(99), size: 10 }, ...Object.entries(files).map(([path, f]) => ({ path, type: "blob", sha: f.sha, size: f.text.length }))] }, { etag: '"tree-1"' });
}

/** One reqgateBlobs query answering exactly these blobs (the test's expected batch). */
export function mockBlobs(paths: string[], files: Record<string, { sha: string; text: string }> = FILES): void {
  const wanted = paths.map((p) => files[p]!);
  nock(API)
    .post("/graphql", (b: { query: string }) => {
      if (!b.query.includes("query reqgateBlobs")) return false;
      const asked = [...b.query.matchAll(/object\(oid: "([0-9a-f]{40})"\)/g)].map((m) => m[1]);
      return JSON.stringify([...asked].sort()) === JSON.stringify(wanted.map((f) => f.sha).sort());
    })
    .reply(200, (_uri, body) => {
      const asked = [...(body as { query: string }).query.matchAll(/(b\d+): object\(oid: "([0-9a-f]{40})"\)/g)];
      const blobs: Record<string, unknown> = {};
      for (const [, alias, oid] of asked) blobs[alias!] = { text: wanted.find((f) => f.sha === oid)!.text, isBinary: false, isTruncated: false };
      return { data: { repository: blobs } };
    });
}

/**
 * The tree and the blobs of a first update that edits the dashboard: the referenced requirements' files
 * with the evidence file in the room left in their request, then their parents' files.
 */
export function mockFacts(): void {
  mockTree();
  mockBlobs(["requirements/REQ-011.yml", "requirements/REQ-012.yml", "requirements/REQ-013.yml", "test/audit.test.ts"]);
  mockBlobs(["requirements/REQ-010.yml"]);
}

export const ISSUES: IssueNode[] = [
  { number: 1, title: "Spelling", body: "", labels: ["needs-requirement"] },
  { number: 2, title: "Lockout", body: "Requirement: REQ-011" },
  { number: 3, title: "Lockout follow-up", body: "REQ-011 again", state: "CLOSED" },
  { number: 4, title: "Audit export", body: "REQ-012", state: "CLOSED" },
  { number: 5, title: "Audit export, part 2", body: "REQ-012", state: "CLOSED" },
  { number: 6, title: "Rate limits", body: "REQ-013", state: "CLOSED" },
  { number: 7, title: "Stale work", body: "REQ-011", labels: ["suspect"] },
];

/** The dashboard's hidden record as these tests expect it (the signature computed here, with the test secret). */
export function record(state: Record<string, unknown>): string {
  const sig = createHmac("sha256", SECRET).update(`reqgate dashboard-state v1\n${REPO_ID}\n${JSON.stringify(state)}`).digest("hex");
  return `<!-- reqgate:dashboard-state ${JSON.stringify({ v: 1, ...state, sig })} -->`;
}


/**
 * A repository larger than one update reads (120 requirements, one file each, named by three issues of
 * 40): the reads of the update that starts the warm-up (the query, the lock, the tree) and of the one
 * it asks for next (only issues updated since; the lock and the tree 304s), and every blob query
 * answered, each one's size pushed onto the returned `asked`. The dashboard issue is #50.
 */
export function mockWarmUp(): { asked: number[] } {
  const ids = Array.from({ length: 120 }, (_, i) => `REQ-${String(101 + i).padStart(3, "0")}`);
  const files = Object.fromEntries(ids.map((id, i) => [`requirements/${id}.yml`, { sha: sha(1000 + i), text: `id: ${id}\ntitle: Requirement ${id}\ntext: The system shall ${i}.\n` }]));
  const issues = [0, 1, 2].map((n) => ({ number: 10 + n, title: `Batch ${n}`, body: ids.slice(n * 40, n * 40 + 40).join(" ") }));
  const lock = lockText(ids.map((id) => ({ id, title: `Requirement ${id}`, status: "active" as const, path: `requirements/${id}.yml`, fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" })));
  const asked: number[] = [];
  nock(API)
    .persist()
    .post("/graphql", (b: { query: string }) => b.query.includes("query reqgateBlobs"))
    .reply(200, (_uri, body) => {
      const repository: Record<string, unknown> = {};
      const wanted = [...(body as { query: string }).query.matchAll(/(b\d+): object\(oid: "([0-9a-f]{40})"\)/g)];
      asked.push(wanted.length);
      for (const [, alias, oid] of wanted) repository[alias!] = { text: Object.values(files).find((f) => f.sha === oid)!.text, isBinary: false, isTruncated: false };
      return { data: { repository } };
    });
  const dashboard = [{ number: 50, body: "<!-- reqgate:dashboard -->\nold" }];
  mockDashboardQuery(issues, dashboard);
  nock(API).get(LOCK_PATH).reply(200, lock, { etag: '"lock-w"', "content-type": "text/plain; charset=utf-8" });
  mockTree(files);
  mockDashboardQuery([], dashboard);
  nock(API).get(LOCK_PATH).matchHeader("if-none-match", '"lock-w"').reply(304, "", { etag: '"lock-w"' });
  mockTree(files, { notModified: true });
  return { asked };
}
