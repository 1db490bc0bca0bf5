import { describe, expect, it } from "@jest/globals";
import type { LockEntry } from "../../../src/domain/baseline/baseline.js";
import { renderDashboard, type DashboardIssue } from "../../../src/domain/dashboard/dashboard.js";

const entry = (n: number, over: Partial<LockEntry> = {}): LockEntry => ({ id: `REQ-${n}`, title: `Requirement number ${n} with a reasonably long title`, status: "active", path: `requirements/${n}.yml`, fingerprint: "sha256:x", change: `CR-${n % 300}`, ...over });

describe("the dashboard body", () => {
  it("fits GitHub's 65,536 characters at 10,000 requirements and 2,000 open issues, lists cut with counts, tables instead of a graph", () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => entry(i + 1));
    const issues: DashboardIssue[] = Array.from({ length: 2_000 }, (_, i) => ({ number: i + 1, title: `Issue ${i + 1} about @someone and #12`, state: "open", ids: [`REQ-${(i % 900) + 1}`, `REQ-${(i % 450) + 1}`], labels: i % 3 === 0 ? ["suspect"] : i % 5 === 0 ? ["needs-requirement"] : [], pull: false }));
    const facts = { byId: new Map(entries.map((e, i) => [e.id, { parents: i < 900 ? [`REQ-${i + 1001}`] : [], owner: `@acme/team-${i % 7}` }])), complete: true };
    const waivers = Array.from({ length: 30 }, (_, i) => ({ kind: "issue" as const, number: i + 1, by: "maintainer", reason: "x".repeat(500), at: "2026-01-01T00:00:00Z" }));
    const record = `<!-- reqgate:dashboard-state ${"y".repeat(20_000)} -->`;
    const body = renderDashboard({ entries, issues, labels: { unlinked: "needs-requirement", suspect: "suspect" }, incomplete: [], facts, evidence: { verified: new Set(["REQ-1"]) }, waivers, record });
    expect(body.length).toBeLessThanOrEqual(65_536);
    // The record that ends the body is never cut.
    expect(body.endsWith(`\n${record}`)).toBe(true);
    // REQ-1…REQ-450 have four or five issues each, REQ-451…REQ-900 two.
    expect(body).toContain("## Split work: 900\n");
    expect(body).toContain("- `REQ-1` Requirement number 1 with a reasonably long title (owner `@acme/team-0`): #1 (open), #451 (open), #901 (open), #1351 (open), #1801 (open) — 5 open");
    // Issues name REQ-1…REQ-900, whose parents are REQ-1001…REQ-1900: 10,000 - 900 - 900 at risk.
    expect(body).toContain("## At risk: 8200\n");
    expect(body).toContain("- … and 8160 more (see `reqgate report`)");
    expect(body).toContain("## Suspect work: 667\n");
    expect(body).not.toContain("```mermaid");
    // User text is escaped: no mention, no cross-reference.
    expect(body).toContain("- #1 Issue 1 about @\u200dsomeone and \\#\u200d12");
  });

  it("says when it may be incomplete, and never claims nothing is at risk then", () => {
    const body = renderDashboard({ entries: [entry(1)], issues: [], labels: { unlinked: "needs-requirement", suspect: "suspect" }, incomplete: ["a search for suspect work failed (HTTP 503)"] });
    expect(body).toContain("> [!WARNING]\n> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:\n> - a search for suspect work failed \\(HTTP 503\\)");
    expect(body).toContain("## Suspect work: 0\n\nOpen work labelled `suspect`: a requirement it references changed.\n\nNone found, but the dashboard may be incomplete (see above).");
  });

  it("with part of the issue list: says how far the read got, counts as lower bounds, claims neither at risk nor done", () => {
    const labels = { unlinked: "needs-requirement", suspect: "suspect" };
    const closedPair: DashboardIssue[] = [1, 2].map((number) => ({ number, title: `Done ${number}`, state: "closed", ids: ["REQ-1"], labels: [], pull: false }));
    const facts = { byId: new Map([["REQ-1", { parents: [] }]]), complete: true };
    const render = (issueRead: Parameters<typeof renderDashboard>[0]["issueRead"]) => renderDashboard({ entries: [entry(1), entry(2)], issues: closedPair, labels, incomplete: [], facts, evidence: { verified: new Set(["REQ-1"]) }, ...(issueRead ? { issueRead } : {}) });
    const warning = "> [!WARNING]\n> This dashboard may be incomplete, so it does not claim that nothing is at risk or suspect:\n> - ";
    expect(render({ kind: "first", read: 1200, about: 25000 })).toContain(`${warning}issues read: 1,200 of about 25,000; the rest in the next updates\n`);
    expect(render({ kind: "first", read: 300 })).toContain(`${warning}issues read: 300; the rest in the next updates\n`);
    expect(render({ kind: "again", read: 100, about: 450 })).toContain(
      `${warning}the issue list is read again (GitHub counts another number of issues than reqgate holds: some were deleted or transferred): issues read: 100 of about 450; the rest in the next updates\n`,
    );
    expect(render({ kind: "since", read: 200, about: 500 })).toContain(`${warning}issues updated since the last read: 200 of about 500 read; the rest in the next updates\n`);
    expect(render({ kind: "since", read: 0 })).toContain(`${warning}issues updated while the list was read: read in the next update\n`);
    const body = render({ kind: "first", read: 2, about: 3 });
    expect(body).toContain("## At risk: not known yet\n");
    expect(body).toContain("## Split work: at least 1\n");
    expect(body).toContain("- `REQ-1` Requirement number 1 with a reasonably long title (**no owner**): #1 (closed), #2 (closed) — the issues read so far are closed (the list is not read in full yet)\n");
    expect(body).toContain("## Done without evidence: not known yet\n");
    expect(body).toContain('  REQ_1["REQ-1"]:::unknown\n');
    expect(body).toContain('  REQ_2["REQ-2"]:::unknown\n');
    // The whole list: REQ-2 at risk, REQ-1 done.
    const whole = render(undefined);
    expect(whole).toContain("## At risk: 1\n\nActive requirements that no issue references (open or closed), directly or through a descendant.\n\n- `REQ-2` Requirement number 2 with a reasonably long title\n");
    expect(whole).toContain('  REQ_1["REQ-1"]:::done\n');
    expect(whole).not.toContain("unknown");
  });

  it("lists the lock's open suspect links (reviewed ones are not); no section when there are none", () => {
    const links = [
      { kind: "child" as const, item: "REQ-2", moved: "REQ-1", change: "CR-7" },
      { kind: "evidence" as const, item: "test/login.test.ts", moved: "REQ-1", change: "CR-7" },
      { kind: "child" as const, item: "REQ-3", moved: "REQ-1", change: "CR-7", review: { by: "Ann", at: "2026-12-03T10:00:00Z" } },
    ];
    const body = renderDashboard({ entries: [entry(1), entry(2), entry(3)], links, issues: [], labels: { unlinked: "needs-requirement", suspect: "suspect" }, incomplete: [] });
    expect(body).toContain("## Suspect links: 2\n\nRequirements whose parent moved, and `@verifies` evidence of a moved requirement, not reviewed yet (`reqgate review ID` records the review in the lock).\n\n- `REQ-2`: its parent `REQ-1` moved (`CR-7`)\n- `test/login.test.ts`: evidence of `REQ-1` moved (`CR-7`)\n");
    expect(renderDashboard({ entries: [entry(1)], links: [links[2]!], issues: [], labels: { unlinked: "needs-requirement", suspect: "suspect" }, incomplete: [] })).not.toContain("Suspect links");
  });
});
