// Accessibility of the patient app, checked on the rendered view tree.
import { describe, expect, it } from "@jest/globals";
import { render } from "./support/views.js";

describe("screen readers", () => {
  // @verifies REQ-026
  it("labels every control", async () => {
    for (const screen of ["today", "reminder", "history", "settings"]) {
      const tree = await render(screen);
      expect(tree.controls().filter((c) => !c.accessibilityLabel)).toEqual([]);
    }
  });

  // @verifies REQ-026
  it("names the medication and the amount on the reminder screen", async () => {
    const tree = await render("reminder", { dose: { medication: "Warfarin", amount: "3 mg" } });
    expect(tree.button("Taken").accessibilityLabel).toBe("Taken: Warfarin, 3 mg");
  });
});
