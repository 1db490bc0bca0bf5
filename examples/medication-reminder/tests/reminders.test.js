// Reminder behaviour of the patient app, against a simulated clock and notification centre.
// (Example content: shows how tests carry `@verifies` tags; it is not meant to run.)
import { describe, expect, it } from "@jest/globals";
import { createDevice, dose } from "./support/simulator.js";

describe("scheduled reminders", () => {
  // @verifies REQ-001
  it("notifies within 60 seconds of the scheduled time with the app closed", async () => {
    const device = createDevice({ appRunning: false });
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    await device.clock.advanceTo("08:00:59");
    expect(device.notifications.shown()).toHaveLength(1);
  });

  // @verifies REQ-001
  it("re-registers alarms after a restart", async () => {
    const device = createDevice();
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    await device.restart();
    await device.clock.advanceTo("08:01");
    expect(device.notifications.shown()).toHaveLength(1);
  });

  // @verifies REQ-002
  it("repeats an unacknowledged reminder on the configured interval", async () => {
    const device = createDevice();
    device.schedule(dose("Warfarin", "3 mg", "18:00"));
    await device.clock.advanceTo("19:00");
    expect(device.notifications.shown().map((n) => n.time)).toEqual(["18:00", "18:10", "18:20", "18:30"]);
  });
});

describe("acknowledging a dose", () => {
  // @verifies REQ-003
  it("marks a dose as taken from the notification", async () => {
    const device = createDevice();
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    await device.clock.advanceTo("08:00");
    await device.notifications.latest().action("Taken");
    expect(device.history.last()).toMatchObject({ state: "taken" });
    expect(device.app.opened).toBe(false);
  });

  // @verifies REQ-003, REQ-004
  it("asks for a reason when a dose is skipped", async () => {
    const device = createDevice();
    device.schedule(dose("Metformin", "500 mg", "08:00"));
    await device.clock.advanceTo("08:00");
    const prompt = await device.notifications.latest().action("Skip");
    expect(prompt.choices).toEqual(["felt unwell", "medication not at hand", "advised by a clinician", "other"]);
    await prompt.choose("felt unwell");
    expect(device.history.last()).toMatchObject({ state: "skipped", reason: "felt unwell" });
  });
});

describe("time zones", () => {
  // @verifies REQ-005
  it("keeps wall-clock doses at the same local time after travel", async () => {
    const device = createDevice({ timeZone: "Europe/Berlin" });
    device.schedule(dose("Levothyroxine", "50 µg", "07:00"));
    device.setTimeZone("America/New_York");
    expect(device.alarms.next().localTime).toBe("07:00");
  });

  // @verifies REQ-005
  it("keeps the interval of interval-based doses", async () => {
    const device = createDevice({ timeZone: "Europe/Berlin" });
    device.schedule(dose("Amoxicillin", "500 mg", { every: "8h", from: "06:00" }));
    device.setTimeZone("Asia/Tokyo");
    expect(device.alarms.intervals()).toEqual(["8h", "8h"]);
  });
});
