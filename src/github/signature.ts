// The one signature of the state reqgate keeps in text that people with write access can edit (the
// issue comment's waiver and suspect state, the dashboard's record): HMAC-SHA256 with the App's state
// secret over a subject that names what is signed and where (repository, issue), so that a record
// copied elsewhere fails. Checked in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The hex signature of `subject`. */
export function signature(secret: string, subject: string): string {
  return createHmac("sha256", secret).update(subject).digest("hex");
}

/** True when `given` is the signature of `subject` (anything else, a malformed value included, is false). */
export function signatureMatches(secret: string, subject: string, given: unknown): boolean {
  if (typeof given !== "string" || !/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(signature(secret, subject), "hex"));
}
