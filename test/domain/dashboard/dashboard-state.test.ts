import { describe, expect, it } from "@jest/globals";
import { EMPTY_STATE, nextDashboardState, normalizeState } from "../../../src/domain/dashboard/dashboard-state.js";

const waiver = (number: number, at: string, reason = "spike") => ({ kind: "issue" as const, number, by: "ann", reason, at });

describe("the dashboard's state", () => {
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

  it("a malformed record is no state (never a throw)", () => {
    expect(normalizeState(null)).toBeUndefined();
    expect(normalizeState({ waivers: [{ kind: "issue", number: -1, by: "a", reason: "r", at: "2026-01-01T00:00:00Z" }], gaps: [] })).toBeUndefined();
    expect(normalizeState({ waivers: [], gaps: [{ commit: "c", ids: "REQ-1", reasons: [] }] })).toBeUndefined();
    expect(normalizeState({ waivers: [], gaps: [], lastMove: { commit: "c", ids: ["REQ-1"] } })).toEqual({ waivers: [], gaps: [], lastMove: { commit: "c", ids: ["REQ-1"] } });
  });
});
