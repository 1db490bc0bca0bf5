// Where a report came from (SPEC 3: "every report states where it came from"): the repository, the
// commit and branch it describes, whether the working tree differed from that commit, when it was made,
// by which reqgate, under which configuration. Gathered by the CLI (src/local/provenance.ts); every
// renderer prints it, so a report handed to an auditor can be tied back to one state of the repository.

export interface Provenance {
  /** `github.com/acme/widgets` from the origin remote (credentials never kept), `acme/widgets` with --github, else the folder's name. */
  repository: string;
  /** The commit checked out; null outside git or before the first commit. */
  commit: string | null;
  /** Null on a detached HEAD (as in most CI checkouts) or outside git. */
  branch: string | null;
  /** The commit's committer date (ISO 8601). */
  commitDate: string | null;
  /** Tracked files differ from the commit: the report describes the working tree, not only the commit. */
  dirty: boolean | null;
  /** When the report was made (ISO 8601, UTC); SOURCE_DATE_EPOCH fixes it for reproducible output. */
  generatedAt: string;
  tool: { name: "reqgate"; version: string };
  /** The configuration file and the SHA-256 of its bytes; file null when the defaults applied. */
  configuration: { file: string | null; sha256: string | null };
}

/** One line for people: `acme/widgets @ 1a2b3c4d5e6f (main, 2026-12-01T10:00:00Z) · reqgate 0.1.0 · …`. */
export function describeProvenance(p: Provenance): string[] {
  const commit = p.commit === null ? "no commit" : `${p.commit.slice(0, 12)}${p.dirty ? " with uncommitted changes" : ""}`;
  const where = [p.branch ?? (p.commit === null ? null : "detached HEAD"), p.commitDate].filter((x) => x !== null).join("; ");
  return [
    `Repository: ${p.repository}`,
    `Commit: ${commit}${where ? ` (${where})` : ""}`,
    `Generated: ${p.generatedAt} by reqgate ${p.tool.version}`,
    `Configuration: ${p.configuration.file === null ? "defaults (no .github/reqgate.yml)" : `${p.configuration.file} (sha256 ${p.configuration.sha256!.slice(0, 16)})`}`,
  ];
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/** `OWNER/REPO` (`--github`, an origin remote's path), or undefined when it is not of that form. */
export function parseRepository(slug: string): { owner: string; repo: string } | undefined {
  const parts = slug.trim().split("/");
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts as [string, string];
  return OWNER.test(owner) && REPO.test(repo) && repo !== "." && repo !== ".." ? { owner, repo } : undefined;
}

/** A remote URL as a name to print: host and path, never user names, tokens or the `.git` suffix. */
export function repositoryName(remote: string): string | undefined {
  const text = remote.trim();
  const scp = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/)([^\s]+?)(?:\.git)?\/?$/.exec(text);
  if (scp && !/^[A-Za-z]+$/.test(scp[1]!) ) return `${scp[1]}/${scp[2]}`;
  try {
    const url = new URL(text);
    if (url.protocol === "file:") return undefined;
    const path = url.pathname.replace(/^\/+/, "").replace(/\.git$/, "").replace(/\/+$/, "");
    return path ? `${url.host}/${path}` : url.host;
  } catch {
    return undefined;
  }
}
