// Server-side escalation of missed doses to the assigned caregiver.
import { describe, expect, it } from "@jest/globals";
import { createServer } from "./support/server.js";

describe("missed-dose escalation", () => {
  // @verifies REQ-007
  it("alerts the assigned caregiver when a dose stays unacknowledged", async () => {
    const server = createServer();
    const patient = server.patients.create({ caregiver: "amara" });
    patient.schedule({ medication: "Warfarin", amount: 3, unit: "mg", at: "18:00" });
    await server.clock.advanceTo("18:29");
    expect(server.alerts.for("amara")).toEqual([]);
    await server.clock.advanceTo("18:30");
    expect(server.alerts.for("amara")).toEqual([expect.objectContaining({ patient: patient.id, medication: "Warfarin" })]);
  });

  // @verifies REQ-007
  it("does not alert when the dose was acknowledged offline and synced late", async () => {
    const server = createServer();
    const patient = server.patients.create({ caregiver: "amara" });
    patient.schedule({ medication: "Warfarin", amount: 3, unit: "mg", at: "18:00" });
    await server.receiveAcknowledgement(patient.id, { dose: "18:00", state: "taken", at: "18:05" });
    await server.clock.advanceTo("19:00");
    expect(server.alerts.for("amara")).toEqual([]);
  });
});
