// reqgate's one comment per issue: found by its marker AND its author being this App's bot (a user
// comment that copies the marker is ignored), edited in place, never deleted and re-posted.
//
// The comment also carries reqgate's state for the issue: the waiver, in a hidden block. Anyone with
// write access can edit any comment, the App's included, so the block is signed (HMAC-SHA256 with a
// server-side secret, bound to the repository and issue): an edited or copied block is ignored.
import type { ProbotOctokit } from "probot";
import type { Waiver } from "../domain/issues/evaluate-issue.js";
import { EMPTY_SUSPECT, suspectFromData, type SuspectState } from "../domain/suspect/suspect.js";
import { MARKER, readHiddenLast, writeHidden } from "../domain/core/hidden-data.js";
import { ISSUE_MARKER } from "../domain/issues/issue-comment.js";
import { isHttpError } from "./conditional.js";
import { signature, signatureMatches } from "./signature.js";
import type { CommentSummary } from "./issue-query.js";

/** GitHub's limit for a comment body. */
export const MAX_BODY = 65_536;

export interface IssueScope {
  owner: string;
  repo: string;
  /** The repository's numeric ID: stable across renames and transfers of the name. */
  repoId: number;
  number: number;
}

export interface StickyState {
  /** The oldest of reqgate's own marked comments. */
  comment?: CommentSummary;
  /** Further own marked comments (left by a race between two processes): removed on the next write. */
  duplicates: CommentSummary[];
  waiver?: Waiver;
  /** The suspect marks and reviews kept in the comment (SPEC 2.5); EMPTY_SUSPECT when none or not intact. */
  suspect: SuspectState;
}

function waiverSubject(scope: IssueScope, waiver: Waiver): string {
  return JSON.stringify([scope.repoId, scope.number, waiver.by, waiver.reason, waiver.at, waiver.comment]);
}

function suspectSubject(scope: IssueScope, suspect: SuspectState): string {
  return JSON.stringify([scope.repoId, scope.number, "suspect", suspect]);
}

/** The full body: the visible part, then the signed state block (waiver and suspect state, each signed). */
export function composeBody(visible: string, waiver: Waiver | undefined, secret: string, scope: IssueScope, suspect: SuspectState = EMPTY_SUSPECT): string {
  const state: Record<string, unknown> = waiver ? { v: 1, waiver, sig: signature(secret, waiverSubject(scope, waiver)) } : { v: 1 };
  if (suspect.marks.length > 0 || suspect.reviewed.length > 0) {
    // Signed as it reads back (normalised), so that the reader's check compares like with like.
    const normal = suspectFromData(suspect);
    state.suspect = normal;
    state.ssig = signature(secret, suspectSubject(scope, normal));
  }
  const block = writeHidden(MARKER.state, state);
  const room = MAX_BODY - block.length - 64;
  const text = visible.length > room ? `${visible.slice(0, room)}\n\n… (cut to fit GitHub's comment size limit)` : visible;
  return `${text}\n\n${block}`;
}

/** The waiver in a comment's state block, if the block is intact and was signed for this issue. */
export function readWaiver(body: string, secret: string, scope: IssueScope): Waiver | undefined {
  const data = readHiddenLast(body, MARKER.state);
  if (typeof data !== "object" || data === null) return undefined;
  const { waiver, sig } = data as { waiver?: unknown; sig?: unknown };
  if (typeof waiver !== "object" || waiver === null) return undefined;
  const w = waiver as Record<string, unknown>;
  if (typeof w.by !== "string" || typeof w.reason !== "string" || typeof w.at !== "string" || typeof w.comment !== "number") return undefined;
  const candidate: Waiver = { by: w.by, reason: w.reason, at: w.at, comment: w.comment };
  return signatureMatches(secret, waiverSubject(scope, candidate), sig) ? candidate : undefined;
}

/** The suspect state in a comment's state block, if intact and signed for this issue. */
export function readSuspect(body: string, secret: string, scope: IssueScope): SuspectState {
  const data = readHiddenLast(body, MARKER.state);
  if (typeof data !== "object" || data === null) return EMPTY_SUSPECT;
  const { suspect, ssig } = data as { suspect?: unknown; ssig?: unknown };
  if (suspect === undefined) return EMPTY_SUSPECT;
  const candidate = suspectFromData(suspect);
  return signatureMatches(secret, suspectSubject(scope, candidate), ssig) ? candidate : EMPTY_SUSPECT;
}

/** reqgate's own marked comments among an issue's comments, and the waiver they carry. */
export function findSticky(comments: readonly CommentSummary[], secret: string, scope: IssueScope): StickyState {
  const own = comments.filter((c) => c.own && c.body.startsWith(ISSUE_MARKER));
  const [comment, ...duplicates] = own;
  const state: StickyState = { duplicates, suspect: EMPTY_SUSPECT };
  if (comment) {
    state.comment = comment;
    const waiver = readWaiver(comment.body, secret, scope);
    if (waiver) state.waiver = waiver;
    state.suspect = readSuspect(comment.body, secret, scope);
  }
  return state;
}

export type Relist = () => Promise<StickyState>;

/**
 * Creates or updates the comment. `current` is what was read before; `relist` reads the comments
 * again. A create is never retried blindly: GitHub may have applied a POST that answered 5xx (and the
 * retry plugin would repeat it), so after a failed create the comments are read again and a comment
 * that appeared is updated instead.
 */
export async function upsertSticky(octokit: ProbotOctokit, scope: IssueScope, body: string, current: StickyState, relist: Relist): Promise<"created" | "updated" | "unchanged"> {
  let state = current;
  for (let attempt = 0; ; attempt++) {
    if (state.comment) {
      const outcome = await updateSticky(octokit, scope, body, state);
      return outcome;
    }
    try {
      await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: scope.owner,
        repo: scope.repo,
        issue_number: scope.number,
        body,
        request: { retries: 0 },
      });
      return "created";
    } catch (error) {
      // A 4xx is a refusal: nothing was created. Anything else may have been applied.
      if (isHttpError(error) && error.status >= 400 && error.status < 500) throw error;
      if (attempt >= 2) throw error;
      state = await relist();
    }
  }
}

/** Updates the existing comment when its body differs, and removes own duplicates. */
export async function updateSticky(octokit: ProbotOctokit, scope: IssueScope, body: string, state: StickyState): Promise<"updated" | "unchanged"> {
  for (const extra of state.duplicates) {
    try {
      await octokit.request("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: scope.owner, repo: scope.repo, comment_id: extra.id });
    } catch (error) {
      if (!isHttpError(error, 404)) throw error;
    }
  }
  if (!state.comment) return "unchanged";
  if (state.comment.body === body) return "unchanged";
  await octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", { owner: scope.owner, repo: scope.repo, comment_id: state.comment.id, body });
  return "updated";
}
