// The CLI's own error: a leaf module, so that the dispatcher in main.ts can recognise it without
// loading a command.
import type { Diagnostic } from "../domain/core/diagnostic.js";

/** A configuration problem or an unreadable repository: exit code 2, with diagnostics to print. */
export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("configuration error");
  }
}
