import * as z from "zod";

// One line of the baseline lock (schema/baseline-lock.schema.json), for tools that read the lock. The
// parser (baseline/baseline.ts `parseLock`) is the authority; this describes the same shapes.

const lockId = z.string().regex(/^[A-Z][A-Z0-9_]{0,19}-[0-9]{1,9}$/);
const review = {
  reviewed_by: z.string().min(1).max(200).optional().describe("Who confirmed the link with `reqgate review` (git's user.name <user.email>)."),
  reviewed_at: z.string().optional().describe("When, as an ISO time (UTC)."),
};

export const LockLineSchema = z.union([
  z.strictObject({ lock: z.union([z.literal(1), z.literal(2)]).describe("The lock's version: 2 when it holds suspect links, else 1.") }),
  z.strictObject({ applied: lockId.describe("A change record applied to the baseline.") }),
  z.strictObject({
    id: lockId,
    status: z.enum(["active", "retired"]),
    fingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/).describe("The hash of the requirement's normative content."),
    change: lockId.describe("The change record that last moved it."),
    path: z.string().min(1),
    title: z.string(),
    superseded_by: lockId.optional(),
  }),
  z.strictObject({ suspect: lockId.describe("A requirement whose parent moved (version 2)."), parent: lockId, change: lockId.describe("The change record of the move."), ...review }),
  z.strictObject({ suspect: z.string().min(1).max(1000).describe("A file of @verifies evidence of a requirement that moved (version 2)."), verifies: lockId, change: lockId.describe("The change record of the move."), ...review }),
]);
