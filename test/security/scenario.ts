// Multi-step attack scenarios: GitHub's state evolves from delivery to delivery, and the check runs the
// App wrote are what the next evaluation reads (as GitHub would return them).
import nock from "nock";
import { API, fixture, OWNER, REPO } from "../helpers/github-app.js";
import { checkRunSink, runState, type CheckRunBody, type RunState } from "../helpers/github-pulls.js";

export type Sink = ReturnType<typeof checkRunSink>;

/** The runs on the head after the writes the sink saw: creates get ids from 1001, updates replace by id. */
export function runsOnHead(sink: Sink, headSha?: string): RunState[] {
  const runs = new Map<number, CheckRunBody>();
  sink.created.forEach((b, i) => {
    if (headSha === undefined || b.head_sha === headSha) runs.set(1001 + i, b);
  });
  for (const u of sink.updated) {
    const known = runs.get(u.id);
    if (known) runs.set(u.id, { ...known, ...u.body, output: { ...known.output, ...u.body.output } });
  }
  return [...runs.entries()].map(([id, b]) => runState(id, b));
}

/** The latest write of the `reqgate/baseline` run (a create or an update). */
export function lastBaseline(sink: Sink): CheckRunBody {
  const writes: CheckRunBody[] = [];
  for (const b of sink.created) if (b.name === "reqgate/baseline") writes.push(b);
  const ids = new Set(sink.created.flatMap((b, i) => (b.name === "reqgate/baseline" ? [1001 + i] : [])));
  let last: CheckRunBody | undefined = writes.at(-1);
  for (const u of sink.updated) if (ids.has(u.id)) last = { ...(last ?? u.body), ...u.body };
  if (!last) throw new Error("no reqgate/baseline run was written");
  return last;
}

export function commentEvent(action: "created" | "edited" | "deleted", id: number, body: string, by: string, createdAt: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = fixture(`issue_comment.${action}.pr`);
  const comment = { ...(payload.comment as Record<string, unknown>), id, body, created_at: createdAt, user: { login: by, id: 1, type: "User" } };
  return { ...payload, comment, sender: { login: by, id: 1, type: "User" }, ...extra };
}

export function pressEvent(externalId: string, by: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = fixture("check_run.requested_action");
  return { ...payload, check_run: { ...(payload.check_run as object), id: 1002, external_id: externalId, ...over }, sender: { login: by, id: 7, type: "User" } };
}

export function reaction(commentId: number): void {
  nock(API).post(`/repos/${OWNER}/${REPO}/issues/comments/${commentId}/reactions`).reply(201, {});
}
