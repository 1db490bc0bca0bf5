// Caregiver portal: adherence, sessions, access.
import { describe, expect, it } from "@jest/globals";
import { createPortal } from "./support/portal.js";

describe("adherence", () => {
  // @verifies REQ-008
  it("lists every dose of the last 30 days with its state", async () => {
    const portal = await createPortal({ seed: "thirty-days" });
    const rows = await portal.as("amara").adherence("patient-1");
    expect(rows).toHaveLength(90);
    expect(new Set(rows.map((r) => r.state))).toEqual(new Set(["taken", "skipped", "missed", "pending"]));
    expect(rows.find((r) => r.state === "skipped").reason).toBeDefined();
  });
});

describe("sessions and sign-in", () => {
  // @verifies REQ-018
  it("ends a session after 15 idle minutes", async () => {
    const portal = await createPortal();
    const session = await portal.signIn("amara");
    await portal.clock.advance("15m");
    expect(await session.get("/patients")).toMatchObject({ status: 401 });
  });

  // @verifies REQ-025
  it("rejects passwords shorter than 12 characters", async () => {
    const portal = await createPortal();
    expect(await portal.setPassword("amara", "short-pass")).toMatchObject({ ok: false });
  });

  // @verifies REQ-025
  it("asks for a second factor after the password", async () => {
    const portal = await createPortal({ seed: "totp" });
    const step = await portal.signInWithPassword("amara", "correct horse battery");
    expect(step).toMatchObject({ next: "second-factor", methods: ["totp", "security-key"] });
    expect(await step.submit({ totp: "000000" })).toMatchObject({ ok: false });
    expect(await step.submit({ totp: portal.totpFor("amara") })).toMatchObject({ ok: true });
  });
});

describe("access", () => {
  // @verifies REQ-019
  it("refuses another caregiver's patient", async () => {
    const portal = await createPortal({ seed: "two-caregivers" });
    expect(await portal.as("amara").get("/patients/patient-of-jonas")).toMatchObject({ status: 404 });
    expect((await portal.as("amara").patients()).map((p) => p.caregiver)).toEqual(["amara", "amara"]);
  });
});
