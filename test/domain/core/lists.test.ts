import { describe, expect, it } from "@jest/globals";
import { bulletsWithMore, joinFirst } from "../../../src/domain/core/lists.js";

describe("joinFirst", () => {
  it("joins all items when they fit, and says how many are left out when they do not", () => {
    expect(joinFirst(["REQ-1", "REQ-2"], 2)).toBe("REQ-1, REQ-2");
    expect(joinFirst(["REQ-1", "REQ-2", "REQ-3", "REQ-4"], 2)).toBe("REQ-1, REQ-2 and 2 more");
    expect(joinFirst([], 3)).toBe("");
  });

  it("renders only the items it shows", () => {
    const rendered: number[] = [];
    expect(joinFirst([1, 2, 3], 1, (n) => (rendered.push(n), `#${n}`))).toBe("#1 and 2 more");
    expect(rendered).toEqual([1]);
  });
});

describe("bulletsWithMore", () => {
  it("one bullet per shown item, then one for the rest, indented and with a note when asked", () => {
    expect(bulletsWithMore(["a", "b", "c"], 3, (s) => s.toUpperCase())).toEqual(["- A", "- B", "- C"]);
    expect(bulletsWithMore(["a", "b", "c"], 1, (s) => s, { indent: "  ", more: " (see the annotations)" })).toEqual(["  - a", "  - … and 2 more (see the annotations)"]);
  });
});
