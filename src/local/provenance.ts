// The provenance of a report from the checkout: a few git processes (rev-parse, symbolic-ref, log,
// remote, status), run without a shell. Outside git every git field is null; nothing here fails a report.
import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { SourceFile } from "../domain/check/check-repository.js";
import { repositoryName, type Provenance } from "../domain/report/provenance.js";
import { originUrl, spawnGit, type GitRunner } from "./git.js";

export interface ProvenanceInput {
  root: string;
  version: string;
  config?: SourceFile;
  /** `OWNER/REPO` given with --github: the name to print. */
  github?: { owner: string; repo: string };
  /** SOURCE_DATE_EPOCH (seconds), for reproducible reports. */
  sourceDateEpoch?: string;
  now?: Date;
}

export function readProvenance(input: ProvenanceInput, run: GitRunner = spawnGit): Provenance {
  const git = (...args: string[]): string | undefined => {
    const r = run(args, { cwd: input.root });
    return r.status === 0 && !r.error ? r.stdout.toString("utf8").trim() : undefined;
  };
  const head = git("log", "-1", "--format=%H%n%cI");
  const [commit, commitDate] = head ? head.split("\n") : [];
  const branch = head !== undefined ? git("symbolic-ref", "--short", "-q", "HEAD") : undefined;
  const remote = head !== undefined ? originUrl(input.root, run) : undefined;
  const status = head !== undefined ? git("status", "--porcelain", "--untracked-files=no") : undefined;
  const repository = input.github ? `${input.github.owner}/${input.github.repo}` : (remote !== undefined ? repositoryName(remote) : undefined) ?? basename(input.root);
  const epoch = input.sourceDateEpoch !== undefined && /^\d{1,12}$/.test(input.sourceDateEpoch) ? new Date(Number(input.sourceDateEpoch) * 1000) : (input.now ?? new Date());
  const config = input.config;
  return {
    repository,
    commit: commit || null,
    branch: branch || null,
    commitDate: commitDate || null,
    dirty: status === undefined ? null : status !== "",
    generatedAt: epoch.toISOString().replace(/\.\d{3}Z$/, "Z"),
    tool: { name: "reqgate", version: input.version },
    configuration: config ? { file: config.path, sha256: createHash("sha256").update(config.content).digest("hex") } : { file: null, sha256: null },
  };
}
