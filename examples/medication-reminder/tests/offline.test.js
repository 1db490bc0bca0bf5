// The patient app without a network.
import { describe, expect, it } from "@jest/globals";
import { createDevice, dose } from "./support/simulator.js";

describe("offline", () => {
  // @verifies REQ-021
  it("fires a week of reminders in airplane mode", async () => {
    const device = createDevice();
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    device.network.off();
    await device.clock.advance("7d");
    expect(device.notifications.shown()).toHaveLength(7);
  });

  // @verifies REQ-022
  it("sends offline acknowledgements with their original time", async () => {
    const device = createDevice();
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    device.network.off();
    await device.clock.advanceTo("08:02");
    await device.notifications.latest().action("Taken");
    await device.clock.advanceTo("11:00");
    device.network.on();
    await device.sync();
    expect(device.server.acknowledgements()).toEqual([expect.objectContaining({ state: "taken", at: "08:02" })]);
  });
});
