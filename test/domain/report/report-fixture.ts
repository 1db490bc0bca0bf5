// Small in-memory repositories for the report tests: requirement files, change records, a lock made the
// way `reqgate baseline` makes it, and verification files, run through checkRepository.
import { computeBaseline, EMPTY_LOCK, renderLock } from "../../../src/domain/baseline/baseline.js";
import { checkRepository, type RepoCheck, type SourceFile } from "../../../src/domain/check/check-repository.js";
import { parseConfig, type Config } from "../../../src/domain/config/config.js";
import { parseChangeRecordFile, parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";
import type { WorkItem } from "../../../src/domain/report/work-items.js";

export const config: Config = parseConfig({ requirements: { prefixes: ["SYS", "REQ"] } }).config!;
const opts = { prefixes: new Set(config.requirements.prefixes), maxBytes: 1 << 20 };
export const LOCK = "requirements/baseline.lock";

export type Files = Record<string, string>;

/** The lock `reqgate baseline` writes for these files over an empty baseline. */
export function lockFor(requirements: Files, records: Files): string {
  const reqs = Object.entries(requirements).flatMap(([path, text]) => parseRequirementFile(path, text, opts).requirements);
  const recs = Object.entries(records).map(([path, text]) => parseChangeRecordFile(path, text, { ...opts, changePrefix: "CR" }).record!);
  const result = computeBaseline(EMPTY_LOCK, reqs, recs);
  if (!result.lock) throw new Error(`no lock: ${JSON.stringify(result.diagnostics)}`);
  return renderLock(result.lock);
}

export function repo(requirements: Files, records: Files, lock?: string, evidence: Files = {}): RepoCheck {
  const files = (f: Files): SourceFile[] => Object.entries(f).map(([path, content]) => ({ path, content }));
  return checkRepository({
    config,
    requirementFiles: files(requirements),
    recordFiles: files(records),
    ...(lock !== undefined ? { lock: { path: LOCK, content: lock } } : {}),
    evidenceFiles: files(evidence),
  });
}

export function item(number: number, title: string, requirementIds: string[], over: Partial<WorkItem> = {}): WorkItem {
  return { number, title, state: "open", url: `https://github.com/acme/app/issues/${number}`, labels: [], isPullRequest: false, requirementIds, ...over };
}

export function yaml(fields: Record<string, string | string[]>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(", ")}]` : JSON.stringify(v)}`)
    .join("\n") + "\n";
}

// The reference repository: a two-level hierarchy (SYS refined by REQ), a same-prefix refinement
// (REQ-5 refines REQ-1), a draft, a retired requirement, one requirement modified since the baseline
// and one added since; CR-1 made the baseline, CR-2 announces the pending change.
export const BASE_REQS: Files = {
  "requirements/sys.yml": [
    "requirements:",
    '  - { id: SYS-1, title: "Secure login", text: "Logins are secure.", verification: analysis }',
    '  - { id: SYS-2, title: "Audit trail", text: "Everything is audited." }',
  ].join("\n") + "\n",
  "requirements/req-1.yml": yaml({ id: "REQ-1", title: "Lock after failures", text: "Lock after 5 failures.", parents: ["SYS-1"], verification: "test" }),
  "requirements/req-2.yml": yaml({ id: "REQ-2", title: "Log logins", text: "Log every login.", parents: ["SYS-1"], verification: "test" }),
  "requirements/req-3.yml": yaml({ id: "REQ-3", title: "Passkeys", text: "Support passkeys.", parents: ["SYS-1"], status: "draft" }),
  "requirements/req-4.yml": yaml({ id: "REQ-4", title: "Old lockout", text: "Lock after 3.", status: "retired", superseded_by: "REQ-1" }),
  "requirements/req-5.yml": yaml({ id: "REQ-5", title: "Unlock by email", text: "Unlock by a mailed link.", parents: ["REQ-1"], verification: "demonstration" }),
};
export const CR1 = { "requirements/changes/CR-1.yml": yaml({ id: "CR-1", title: "First baseline", rationale: "Start.", affects: ["SYS-1", "SYS-2", "REQ-1", "REQ-2", "REQ-4", "REQ-5"] }) };
export const CR2 = { "requirements/changes/CR-2.yml": yaml({ id: "CR-2", title: "Log failures too", rationale: "Audit asked.", affects: ["REQ-2", "REQ-6"] }) };

export const HEAD_REQS: Files = {
  ...BASE_REQS,
  "requirements/req-2.yml": yaml({ id: "REQ-2", title: "Log logins", text: "Log every login and every failure.", parents: ["SYS-1"], verification: "test" }),
  "requirements/req-6.yml": yaml({ id: "REQ-6", title: "Rate limit", text: "Limit login attempts per IP.", parents: ["SYS-1"], verification: "test" }),
};

export const EVIDENCE: Files = {
  "test/login.test.ts": "// @verifies REQ-1\nit('locks', () => {});\n\n// @verifies REQ-1, REQ-6\n",
};

export const ITEMS: WorkItem[] = [
  item(1, "Implement lockout", ["REQ-1"]),
  item(2, "Misc cleanup", []),
  item(3, "Passkey spike", ["REQ-3"]),
  item(4, "Old lockout bug", ["REQ-4"]),
  item(5, "Typo in ID", ["REQ-01"]),
  item(6, "Bump deps", [], { isPullRequest: true }),
  item(7, "How do I log in?", [], { labels: ["question"] }),
  item(8, "Mail unlock link", ["REQ-5"], { state: "closed" }),
  item(9, "Rate limiter", ["REQ-6", "REQ-1"]),
];

export function referenceRepo(): RepoCheck {
  return repo({ ...HEAD_REQS }, { ...CR1, ...CR2 }, lockFor(BASE_REQS, CR1), EVIDENCE);
}
