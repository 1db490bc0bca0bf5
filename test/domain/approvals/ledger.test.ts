// The approval ledger: one entry per person and pull request (their latest action), never cut by the
// activity of others; scoped to its pull request; bound to what a run showed.
import { describe, expect, it } from "@jest/globals";
import type { ApprovalEvent } from "../../../src/domain/approvals/approvals.js";
import {
  emptyLedger,
  isSealed,
  ledgerEntries,
  ledgerFromSummary,
  ledgerMarker,
  MAX_LEDGER_PEOPLE,
  MAX_SEALED,
  mergeLedgers,
  parseLedger,
  parseRunBinding,
  pushersOf,
  recordInLedger,
  recordPusher,
  runBinding,
  settleLedger,
  type LedgerEntry,
} from "../../../src/domain/approvals/ledger.js";

const S1 = "sha256:s1";

function entry(by: string, at: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return { pr: 2, by, via: "comment", id: 1, at, act: "approve", subject: S1, ...over };
}

describe("recordInLedger and mergeLedgers", () => {
  it("keep each person's latest action per pull request, whatever order the ledgers come in", () => {
    const early = entry("maya", "2025-01-01T00:00:00Z", { id: 1 });
    const late = entry("Maya", "2025-01-02T00:00:00Z", { id: 2, act: "withdraw" });
    delete late.subject;
    const other = entry("maya", "2025-01-01T00:00:00Z", { pr: 3, id: 9 });
    expect(mergeLedgers([{ entries: [late] }, { entries: [early, other] }])).toEqual({ entries: [late, other] });
    expect(recordInLedger({ entries: [late] }, early)).toEqual({ entries: [late] });
  });

  it("at the same time a withdrawal wins, and a bound approval wins over the same one unbound", () => {
    const approved = entry("maya", "2025-01-01T00:00:00Z");
    const withdrawn: LedgerEntry = { pr: 2, by: "maya", via: "comment", id: 1, at: "2025-01-01T00:00:00Z", act: "withdraw" };
    expect(mergeLedgers([{ entries: [withdrawn] }, { entries: [approved] }]).entries).toEqual([withdrawn]);
    const unbound: LedgerEntry = { pr: 2, by: "maya", via: "comment", id: 1, at: "2025-01-01T00:00:00Z", act: "approve" };
    expect(recordInLedger({ entries: [unbound] }, approved).entries).toEqual([approved]);
    expect(recordInLedger({ entries: [approved] }, unbound).entries).toEqual([approved]);
  });

  it("far more activity by others than the old 100-entry cap never pushes a person's entry out", () => {
    let ledger = recordInLedger(emptyLedger(), entry("maya", "2025-01-01T00:00:00Z", { act: "withdraw", subject: undefined as never }));
    for (let i = 0; i < 150; i++) ledger = recordInLedger(ledger, entry(`user${i}`, `2025-01-02T00:00:${String(i % 60).padStart(2, "0")}Z`, { id: 100 + i }));
    expect(ledger.entries).toHaveLength(151);
    expect(ledger.entries.find((e) => e.by === "maya")?.act).toBe("withdraw");
    // One person commenting again and again is still one entry.
    for (let i = 0; i < 150; i++) ledger = recordInLedger(ledger, entry("user1", `2025-01-03T00:00:${String(i % 60).padStart(2, "0")}Z`, { id: 1000 + i }));
    expect(ledger.entries).toHaveLength(151);
  });
});

describe("parseLedger and the summary marker", () => {
  it("round-trips through the marker at the start of a summary, and nowhere else", () => {
    const ledger = { entries: [entry("maya", "2025-01-01T00:00:00Z")] };
    expect(ledgerFromSummary(`${ledgerMarker(ledger)}\n\nrest`)).toEqual(ledger);
    expect(ledgerFromSummary(`intro\n${ledgerMarker(ledger)}`)).toEqual(emptyLedger());
  });

  it("drops anything malformed, and a subject on a withdrawal", () => {
    expect(parseLedger("nope")).toEqual(emptyLedger());
    expect(parseLedger({ comments: [{ id: 1, subject: S1 }] })).toEqual(emptyLedger());
    const good = { pr: 2, by: "sue", via: "button", id: 4, at: "2025-01-01T00:00:00Z", act: "approve", subject: S1 };
    expect(
      parseLedger({
        entries: [good, { ...good, pr: 0 }, { ...good, via: "email" }, { ...good, act: "maybe" }, { ...good, by: "" }, null, { ...good, by: "olga", act: "withdraw" }],
      }),
    ).toEqual({ entries: [good, { pr: 2, by: "olga", via: "button", id: 4, at: "2025-01-01T00:00:00Z", act: "withdraw" }] });
  });
});

describe("settleLedger", () => {
  it("replaces one pull request's entries and keeps the others' (pull requests that share a head share its run)", () => {
    const mine = entry("maya", "2025-01-01T00:00:00Z");
    const theirs = entry("olga", "2025-01-01T00:00:00Z", { pr: 3 });
    const newer = entry("maya", "2025-01-02T00:00:00Z", { id: 5 });
    expect(settleLedger({ entries: [mine, theirs] }, 2, [newer])).toEqual({ ledger: { entries: [newer, theirs] }, overflow: false });
  });

  it("seals the evaluated pull request when its own people are too many: its entries go, the others' stay", () => {
    const theirs = entry("olga", "2025-01-01T00:00:00Z", { pr: 3 });
    const many = Array.from({ length: MAX_LEDGER_PEOPLE + 1 }, (_, i) => entry(`user${i}`, "2025-01-02T00:00:00Z", { id: i + 1 }));
    expect(settleLedger({ entries: [theirs] }, 2, many)).toEqual({ ledger: { entries: [theirs], sealed: [2] }, overflow: true });
  });

  it("never cuts a neighbour's revoke or pusher to make room: the largest record is sealed", () => {
    const revoke: LedgerEntry = { pr: 3, by: "maya", via: "comment", id: 7100, at: "2025-01-01T00:00:00Z", act: "withdraw" };
    const neighbour = { entries: [revoke], pushers: [{ pr: 3, by: "pat" }] };
    const flood = Array.from({ length: MAX_LEDGER_PEOPLE - 1 }, (_, i) => entry(`puppet${i}`, "2025-01-02T00:00:00Z", { id: i + 1 }));
    // 249 + 2 people: one too many; #2 holds 249 of them.
    expect(settleLedger(neighbour, 2, flood)).toEqual({ ledger: { entries: [revoke], pushers: [{ pr: 3, by: "pat" }], sealed: [2] }, overflow: true });
  });

  it("seals a flooded neighbour rather than the evaluated pull request when the neighbour's record is larger", () => {
    const flood = Array.from({ length: 200 }, (_, i) => entry(`puppet${i}`, "2025-01-01T00:00:00Z", { pr: 3, id: i + 1 }));
    const mine = Array.from({ length: 60 }, (_, i) => entry(`dev${i}`, "2025-01-02T00:00:00Z", { id: 500 + i }));
    const settled = settleLedger({ entries: flood }, 2, mine);
    expect(settled.overflow).toBe(false);
    expect(settled.ledger.sealed).toEqual([3]);
    expect(settled.ledger.entries).toHaveLength(60);
    expect(settled.ledger.entries.every((e) => e.pr === 2)).toBe(true);
  });

  it("on a tie seals the evaluated pull request, never the neighbour", () => {
    const theirs = Array.from({ length: 126 }, (_, i) => entry(`a${i}`, "2025-01-01T00:00:00Z", { pr: 3, id: i + 1 }));
    const mine = Array.from({ length: 126 }, (_, i) => entry(`b${i}`, "2025-01-01T00:00:00Z", { id: 300 + i }));
    const settled = settleLedger({ entries: theirs }, 2, mine);
    expect([settled.overflow, settled.ledger.sealed, settled.ledger.entries.length]).toEqual([true, [2], 126]);
  });

  it("a seal lasts: carried through the marker, it drops the sealed pull request's entries from any other run", () => {
    const sealed = ledgerFromSummary(ledgerMarker({ entries: [], sealed: [2] }));
    expect(sealed).toEqual({ entries: [], sealed: [2] });
    const earlierRun = { entries: [entry("maya", "2025-01-01T00:00:00Z")], pushers: [{ pr: 2, by: "pat" }] };
    expect(mergeLedgers([earlierRun, sealed])).toEqual({ entries: [], sealed: [2] });
    expect(settleLedger(sealed, 2, [entry("maya", "2025-01-03T00:00:00Z")])).toEqual({ ledger: { entries: [], sealed: [2] }, overflow: true });
  });

  it("more sealed pull requests than a run remembers seal every pull request of the run", () => {
    const numbers = Array.from({ length: MAX_SEALED + 5 }, (_, i) => 100 + i);
    const all = mergeLedgers([{ entries: [entry("maya", "2025-01-01T00:00:00Z")], sealed: numbers }]);
    expect(all.entries).toEqual([]);
    expect(all.sealed).toHaveLength(MAX_SEALED + 1);
    expect(isSealed(all, 2)).toBe(true);
    expect(isSealed(parseLedger({ entries: [], sealed: numbers }), 7)).toBe(true);
    expect(isSealed(parseLedger({ entries: [], sealed: [100, 101] }), 7)).toBe(false);
  });

  it("the largest record a run can carry fits a check run's summary with room for its text", () => {
    // Longest real fields: a 45-character bot login, 9-digit pull request, the largest ids and subjects.
    const login = (i: number) => `${"x".repeat(36)}${String(i).padStart(4, "0")}[bot]`;
    const people = Array.from({ length: MAX_LEDGER_PEOPLE }, (_, i): LedgerEntry => ({ pr: 999_999_999, by: login(i), via: "comment", id: Number.MAX_SAFE_INTEGER - i, at: "2026-12-31T23:59:59.999Z", act: "approve", subject: `sha256:${"f".repeat(64)}` }));
    const marker = ledgerMarker(mergeLedgers([{ entries: people, sealed: Array.from({ length: MAX_SEALED }, (_, i) => 999_999_000 - i) }]));
    expect(marker.length).toBeLessThan(60_000);
  });
});

describe("ledgerEntries", () => {
  it("records each person's latest action; a review whose content is unknown is left to GitHub", () => {
    const events: ApprovalEvent[] = [
      { kind: "review", id: 1, by: "maya", state: "APPROVED", commit: "c1", at: "2025-01-01T00:00:00Z", subject: S1 },
      { kind: "comment", id: 2, by: "maya", command: { name: "revoke" }, at: "2025-01-02T00:00:00Z" },
      { kind: "review", id: 3, by: "rita", state: "APPROVED", commit: "c0", at: "2025-01-01T00:00:00Z" },
      { kind: "review", id: 4, by: "cory", state: "COMMENTED", commit: "c1", at: "2025-01-01T00:00:00Z" },
      { kind: "button", checkRun: 9, by: "sue", subject: S1, at: "2025-01-03T00:00:00Z" },
    ];
    expect(ledgerEntries(2, events)).toEqual([
      { pr: 2, by: "maya", via: "comment", id: 2, at: "2025-01-02T00:00:00Z", act: "withdraw" },
      { pr: 2, by: "sue", via: "button", id: 9, at: "2025-01-03T00:00:00Z", act: "approve", subject: S1 },
    ]);
  });
});

describe("runBinding", () => {
  it("names the pull request and the subject a run showed", () => {
    expect(runBinding(12, S1)).toBe("pr12:sha256:s1");
    expect(parseRunBinding("pr12:sha256:s1")).toEqual({ pr: 12, subject: S1 });
    expect(parseRunBinding("sha256:s1")).toBeUndefined();
    expect(parseRunBinding("drift:abc")).toBeUndefined();
    expect(parseRunBinding("incomplete")).toBeUndefined();
    expect(parseRunBinding(undefined)).toBeUndefined();
  });
});

describe("pushers", () => {
  it("are recorded once per pull request and person, carried through the marker, malformed ones dropped", () => {
    let ledger = recordPusher(emptyLedger(), 2, "pat");
    ledger = recordPusher(ledger, 2, "Pat");
    ledger = recordPusher(ledger, 3, "olga");
    expect(ledger).toEqual({ entries: [], pushers: [{ pr: 2, by: "pat" }, { pr: 3, by: "olga" }] });
    expect(pushersOf(ledger, 2)).toEqual(["pat"]);
    expect(ledgerFromSummary(ledgerMarker(ledger))).toEqual(ledger);
    expect(parseLedger({ entries: [], pushers: [{ pr: 2, by: "sue" }, { pr: 0, by: "x" }, { pr: 2, by: "" }, null, "pat"] })).toEqual({ entries: [], pushers: [{ pr: 2, by: "sue" }] });
  });

  it("are never replaced by that person's approvals, and count among the people of the bound", () => {
    const withPusher = recordPusher(emptyLedger(), 2, "maya");
    const approved = recordInLedger(withPusher, entry("maya", "2025-01-02T00:00:00Z"));
    expect(pushersOf(approved, 2)).toEqual(["maya"]);
    const many = Array.from({ length: MAX_LEDGER_PEOPLE }, (_, i) => entry(`user${i}`, "2025-01-02T00:00:00Z", { id: i + 1 }));
    expect(settleLedger(recordPusher(emptyLedger(), 2, "user0"), 2, many).overflow).toBe(false);
    // With pat, #2 has 251 people: sealed; olga, who pushed to #3, stays on record.
    const settled = settleLedger(recordPusher(recordPusher(emptyLedger(), 2, "pat"), 3, "olga"), 2, many);
    expect(settled).toEqual({ ledger: { entries: [], pushers: [{ pr: 3, by: "olga" }], sealed: [2] }, overflow: true });
  });
});
