// Medication schedules: who may change them, what is recorded, what is rejected.
import { describe, expect, it } from "@jest/globals";
import { createServer } from "./support/server.js";

describe("schedule changes", () => {
  // @verifies REQ-011
  it.each(["caregiver", "patient", "admin"])("refuses a change by a %s", async (role) => {
    const server = createServer();
    const response = await server.as(role).put("/patients/p1/schedule", { medication: "Metformin", amount: 500, unit: "mg", at: "08:00" });
    expect(response.status).toBe(403);
  });

  // @verifies REQ-011, REQ-012
  it("records who changed what, before and after", async () => {
    const server = createServer();
    await server.as("clinician", "dr-okafor").put("/patients/p1/schedule", { medication: "Metformin", amount: 850, unit: "mg", at: "08:00" });
    const [entry] = await server.audit.for("p1");
    expect(entry).toMatchObject({ by: "dr-okafor", before: { amount: 500 }, after: { amount: 850 } });
  });

  // @verifies REQ-012
  it("cannot alter or delete an audit record", async () => {
    const server = createServer({ seed: "one-change" });
    const [entry] = await server.audit.for("p1");
    expect((await server.as("admin").delete(`/audit/${entry.id}`)).status).toBe(405);
    expect((await server.as("admin").patch(`/audit/${entry.id}`, { by: "someone" })).status).toBe(405);
  });

  // @verifies REQ-014
  it.each([{ amount: 500 }, { unit: "mg" }, { amount: 500, unit: "" }])("rejects an entry without amount and unit: %j", async (partial) => {
    const server = createServer();
    const response = await server.as("clinician").put("/patients/p1/schedule", { medication: "Metformin", at: "08:00", ...partial });
    expect(response.status).toBe(422);
  });
});
