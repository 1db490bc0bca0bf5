import { describe, expect, it } from "@jest/globals";
import { EMPTY_STATE, mergeNotes, nextDashboardState, normalizeState } from "../../../src/domain/dashboard/dashboard-state.js";

const waiver = (number: number, at: string, reason = "spike") => ({ kind: "issue" as const, number, by: "ann", reason, at });

describe("the dashboard's state", () => {
  it("the notes of two events as one: deleted and transferred issues of both, in order; none, no field", () => {
    expect(mergeNotes({ gone: [7] }, { gone: [6], lastMove: { commit: "c1", ids: ["REQ-1"] } })).toEqual({ waivers: [], sweeps: [], gone: [7, 6], lastMove: { commit: "c1", ids: ["REQ-1"] } });
    expect(mergeNotes({}, {})).toEqual({ waivers: [], sweeps: [] });
  });

  it("a failed search leaves a gap; a complete search of some of its requirements narrows it, of all of them closes it", () => {
    const failed = nextDashboardState(EMPTY_STATE, { sweeps: [{ commit: "c1", moved: ["REQ-1", "REQ-2"], incomplete: ["a search for suspect work failed (HTTP 503)"] }] });
    expect(failed.gaps).toEqual([{ commit: "c1", ids: ["REQ-1", "REQ-2"], reasons: ["a search for suspect work failed (HTTP 503)"] }]);
    // A complete search of other requirements changes nothing.
    expect(nextDashboardState(failed, { sweeps: [{ commit: "c2", moved: ["REQ-9"], incomplete: [] }] }).gaps).toEqual(failed.gaps);
    const narrowed = nextDashboardState(failed, { sweeps: [{ commit: "c3", moved: ["REQ-1"], incomplete: [] }] });
    expect(narrowed.gaps).toEqual([{ commit: "c1", ids: ["REQ-2"], reasons: ["a search for suspect work failed (HTTP 503)"] }]);
    expect(nextDashboardState(narrowed, { sweeps: [{ commit: "c4", moved: ["REQ-2", "REQ-3"], incomplete: [] }] }).gaps).toEqual([]);
  });

  it("keeps the latest waiver of each subject, most recent first, at most 30", () => {
    const state = nextDashboardState(EMPTY_STATE, { waivers: [waiver(1, "2026-01-01T00:00:00Z", "first"), waiver(2, "2026-01-02T00:00:00Z"), waiver(1, "2026-01-03T00:00:00Z", "second")] });
    expect(state.waivers).toEqual([waiver(1, "2026-01-03T00:00:00Z", "second"), waiver(2, "2026-01-02T00:00:00Z")]);
    const many = nextDashboardState(EMPTY_STATE, { waivers: Array.from({ length: 40 }, (_, i) => waiver(i + 1, `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`)) });
    expect(many.waivers).toHaveLength(30);
    expect([many.waivers[0]!.number, many.waivers[29]!.number]).toEqual([40, 11]);
  });

  it("a waiver leaves when its work ends or no longer needs it; unknown work keeps it", () => {
    const state = { waivers: [waiver(4, "2026-01-04T00:00:00Z"), waiver(3, "2026-01-03T00:00:00Z"), waiver(2, "2026-01-02T00:00:00Z"), waiver(1, "2026-01-01T00:00:00Z")], gaps: [] };
    const now = {
      issues: [
        { number: 1, state: "closed" as const, ids: [] },
        // Traced: every ID it names is an active requirement.
        { number: 2, state: "open" as const, ids: ["REQ-1"] },
        // One ID is no active requirement (a draft, a typo): the waiver still applies.
        { number: 3, state: "open" as const, ids: ["REQ-1", "REQ-77"] },
      ],
      active: new Set(["REQ-1"]),
    };
    // #4 is not in the list (not read yet): kept.
    expect(nextDashboardState(state, {}, now).waivers.map((w) => w.number)).toEqual([4, 3]);
    // Without the list (no update read it), nothing is judged.
    expect(nextDashboardState(state, {}).waivers.map((w) => w.number)).toEqual([4, 3, 2, 1]);
  });

  it("an ended note removes the waiver; a waiver noted after it (reopened) stands again, in the order the events came", () => {
    const pull = { ...waiver(5, "2026-01-05T00:00:00Z"), kind: "pull" as const };
    const state = { waivers: [pull, waiver(5, "2026-01-01T00:00:00Z")], gaps: [] };
    const ended = { kind: "pull" as const, number: 5, ended: true as const };
    // Only the pull request's: issue #5 keeps its own.
    expect(nextDashboardState(state, { waivers: [ended] }).waivers).toEqual([waiver(5, "2026-01-01T00:00:00Z")]);
    expect(nextDashboardState(state, { waivers: [ended, pull] }).waivers).toEqual([pull, waiver(5, "2026-01-01T00:00:00Z")]);
  });

  it("a malformed record is no state (never a throw)", () => {
    expect(normalizeState(null)).toBeUndefined();
    expect(normalizeState({ waivers: [{ kind: "issue", number: -1, by: "a", reason: "r", at: "2026-01-01T00:00:00Z" }], gaps: [] })).toBeUndefined();
    expect(normalizeState({ waivers: [], gaps: [{ commit: "c", ids: "REQ-1", reasons: [] }] })).toBeUndefined();
    expect(normalizeState({ waivers: [], gaps: [], lastMove: { commit: "c", ids: ["REQ-1"] } })).toEqual({ waivers: [], gaps: [], lastMove: { commit: "c", ids: ["REQ-1"] } });
  });
});
