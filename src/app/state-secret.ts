// The secret that signs the waivers reqgate keeps in its comments. It must not be guessable: anyone with
// write access can edit the App's comments, and a known secret would let them sign a waiver themselves.
import { randomBytes } from "node:crypto";

/** Probot's webhook secret when none is set (outside production): public, so never a signing key. */
const PROBOT_DEFAULT_SECRET = "development";

export interface StateSecret {
  secret: string;
  /** True when no secret was configured and this one was generated for this process only. */
  generated: boolean;
}

/**
 * `REQGATE_STATE_SECRET`, else `WEBHOOK_SECRET` (unless it is Probot's public default), else a random
 * secret for this process: waivers recorded then last only as long as the process (SPEC 2.4). Production
 * never gets here without a webhook secret (bin/start.js refuses to start).
 */
export function stateSecretFrom(env: Readonly<Record<string, string | undefined>>, generate: () => string = () => randomBytes(32).toString("hex")): StateSecret {
  const configured = [env.REQGATE_STATE_SECRET, env.WEBHOOK_SECRET].find((s) => s !== undefined && s.trim() !== "" && s !== PROBOT_DEFAULT_SECRET);
  return configured !== undefined ? { secret: configured, generated: false } : { secret: generate(), generated: true };
}
