// The change from a git revision to the working tree, through the engine's one change pipeline: what
// `check --base` and `baseline` on a branch judge. Its own module: a plain `check` does not load the engine.
import type { Config } from "../../domain/config/config.js";
import { sortDiagnostics, type Diagnostic } from "../../domain/core/diagnostic.js";
import { resolvePositions } from "../../domain/requirements/yaml.js";
import { evaluateChangeBetween, type ChangeOutcome } from "../../engine/change.js";
import { CatFileBatch } from "../../local/cat-file.js";
import { loadRevisionConfig } from "../../local/config.js";
import { worktreePrefix } from "../../local/git.js";
import { readRepoFiles } from "../../local/repo-files.js";
import { LocalSource, WORKTREE } from "../../local/source.js";
import { LOCK_RELATIVE, usable, type Checked } from "./read.js";

export interface ChangeRun {
  change: ChangeOutcome;
  baseConfig: Config;
  /** The change's own findings (positions resolved), without the ones the full check reported already. */
  own: Diagnostic[];
  /**
   * Findings the full check reported as warnings and the change as errors (a placeholder rationale: a
   * warning in `check`, a failure of the pull-request check): `check --base` shows the change's verdict.
   */
  escalated: Diagnostic[];
}

/** The change from `commit` (`revision`: how the user named it) to the working tree, through the engine's one change pipeline. */
export async function changeAgainst(root: string, commit: string, revision: string, head: Checked): Promise<ChangeRun> {
  const prefix = worktreePrefix(root);
  const batch = new CatFileBatch(root);
  try {
    // Rules come from the base, as the App reads them from the default branch, never from the change.
    const baseConfig = usable(await loadRevisionConfig(root, prefix, commit, revision, batch, head.configFile));
    // The working tree as the base's configuration sees it: read again only when the two disagree on where files are.
    const worktree = sameFiles(baseConfig, head.config) ? head.files : readRepoFiles(root, baseConfig);
    // The lock the full check parsed is the working tree's, when the working tree is the same read.
    const worktreeLock = worktree === head.files ? head.check.lock : undefined;
    const source = new LocalSource({ root, prefix, config: baseConfig, worktree, batch, ...(worktreeLock ? { worktreeLock } : {}) });
    const change = await evaluateChangeBetween(source, baseConfig, { base: commit, head: WORKTREE });
    const { evaluation } = change;
    const resolved = resolvePositions(evaluation.diagnostics, (f) => evaluation.texts.get(f));
    // The full check of the head already reports parse errors of every file; keep the change's own findings.
    const seen = new Map(head.diagnostics.filter((d) => !LOCK_RELATIVE.has(d.code)).map((d) => [diagnosticKey(d), d] as const));
    const escalated = resolved.filter((d) => d.severity === "error" && seen.get(diagnosticKey(d))?.severity === "warning");
    return { change, baseConfig, own: resolved.filter((d) => !seen.has(diagnosticKey(d))), escalated };
  } finally {
    batch.close();
  }
}

/** The head's findings and the change's own, with the change's verdict where it is stricter. */
export function withChange(head: readonly Diagnostic[], run: Pick<ChangeRun, "own" | "escalated">): Diagnostic[] {
  const stricter = new Set(run.escalated.map(diagnosticKey));
  return sortDiagnostics([...head.filter((d) => !stricter.has(diagnosticKey(d))), ...run.escalated, ...run.own]);
}

function diagnosticKey(d: Diagnostic): string {
  return `${d.file}\0${d.code}\0${d.message}`;
}

/** True when two configurations read the same files (requirement paths, change records, lock). */
function sameFiles(a: Config, b: Config): boolean {
  const where = (c: Config) => JSON.stringify([c.requirements.paths, c.requirements.changes, c.requirements.lock]);
  return a === b || where(a) === where(b);
}

