// Check runs: one per name and head SHA, updated in place (SPEC 2.3 "idempotent").
//
// The run to update is found first: the pipeline reads this App's runs on the head in its snapshot
// query. A create is never retried blindly: it is sent with retries off, and after a 5xx or a network
// error the runs are listed again (GET …/commits/{ref}/check-runs filtered by check_name and app_id),
// so that a create GitHub applied before answering 502 is updated, not doubled.
//
// Annotations: 50 per request; the first request carries up to 50, updates append the rest. GitHub keeps
// a run's annotations and appends what an update sends, so an update sends only those beyond the count
// the run already has (the same head gives the same diagnostics, in the same order). A result with fewer
// annotations than the run holds cannot be shown by that run: a new run of the same name replaces it.
// Nothing is written when the run already shows the result.
import type { ProbotOctokit } from "probot";
import { batchAnnotations, type Annotation } from "../domain/pulls/render/check-output.js";
import { isHttpError } from "./conditional.js";
import type { CheckRunWrite, PublishOutcome, RunFacts } from "../engine/ports.js";

export interface CheckTarget {
  owner: string;
  repo: string;
  appId: number;
}

const MAX_CREATE_ATTEMPTS = 3;

export async function publishCheckRun(octokit: ProbotOctokit, target: CheckTarget, write: CheckRunWrite, existing: RunFacts | undefined): Promise<PublishOutcome> {
  const annotations = write.result.annotations;
  if (existing && existing.annotations <= annotations.length) return update(octokit, target, write, existing);
  let attempt = 0;
  for (;;) {
    attempt++;
    const first = batchAnnotations(annotations)[0] ?? [];
    try {
      const { data } = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
        owner: target.owner,
        repo: target.repo,
        ...body(write, first),
        name: write.name,
        head_sha: write.headSha,
        request: { retries: 0 },
      });
      await appendAnnotations(octokit, target, (data as { id: number }).id, write, annotations.slice(first.length));
      return existing ? "replaced" : "created";
    } catch (error) {
      // A 4xx is a refusal: nothing was created. Anything else may have been applied.
      if (isHttpError(error) && error.status >= 400 && error.status < 500) throw error;
      if (attempt >= MAX_CREATE_ATTEMPTS) throw error;
      const found = await findRun(octokit, target, write.name, write.headSha);
      if (found && found.id !== existing?.id && found.annotations <= annotations.length) {
        await update(octokit, target, write, found);
        return existing ? "replaced" : "created";
      }
    }
  }
}

async function update(octokit: ProbotOctokit, target: CheckTarget, write: CheckRunWrite, run: RunFacts): Promise<"updated" | "unchanged"> {
  const rest = write.result.annotations.slice(run.annotations);
  if (rest.length === 0 && shows(run, write)) return "unchanged";
  const first = batchAnnotations(rest)[0] ?? [];
  await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", { owner: target.owner, repo: target.repo, check_run_id: run.id, ...body(write, first) });
  await appendAnnotations(octokit, target, run.id, write, rest.slice(first.length));
  return "updated";
}

async function appendAnnotations(octokit: ProbotOctokit, target: CheckTarget, id: number, write: CheckRunWrite, annotations: readonly Annotation[]): Promise<void> {
  for (const batch of batchAnnotations(annotations)) {
    await octokit.request("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", {
      owner: target.owner,
      repo: target.repo,
      check_run_id: id,
      output: { title: write.result.title, summary: write.result.summary, annotations: batch },
    });
  }
}

function body(write: CheckRunWrite, annotations: readonly Annotation[]) {
  const { result } = write;
  return {
    status: "completed" as const,
    conclusion: result.conclusion,
    details_url: write.detailsUrl,
    ...(write.externalId !== undefined ? { external_id: write.externalId } : {}),
    output: {
      title: result.title,
      summary: result.summary,
      ...(result.text !== undefined ? { text: result.text } : {}),
      ...(annotations.length > 0 ? { annotations: [...annotations] } : {}),
    },
    actions: result.actions.map((a) => ({ ...a })),
  };
}

/** True when the run already shows this result (its actions follow from the conclusion). */
export function shows(run: RunFacts, write: CheckRunWrite): boolean {
  const r = write.result;
  return (
    run.status.toLowerCase() === "completed" &&
    (run.conclusion ?? "").toLowerCase() === r.conclusion &&
    run.title === r.title &&
    run.summary === r.summary &&
    (run.text ?? "") === (r.text ?? "") &&
    (run.externalId ?? "") === (write.externalId ?? "") &&
    run.detailsUrl === write.detailsUrl
  );
}

interface RestRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  external_id: string | null;
  details_url: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number };
}

/** This App's latest run of `name` on `ref`, over REST (the re-list after a failed create). */
export async function findRun(octokit: ProbotOctokit, target: CheckTarget, name: string, ref: string): Promise<RunFacts | undefined> {
  const { data } = await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner: target.owner, repo: target.repo, ref, check_name: name, app_id: target.appId, filter: "latest" });
  const run = (data as { check_runs?: RestRun[] }).check_runs?.[0];
  return run ? restRun(run) : undefined;
}

export function restRun(run: RestRun): RunFacts {
  const facts: RunFacts = { id: run.id, name: run.name, status: run.status, annotations: run.output.annotations_count ?? 0 };
  if (run.conclusion) facts.conclusion = run.conclusion;
  if (run.output.title !== null) facts.title = run.output.title;
  if (run.output.summary !== null) facts.summary = run.output.summary;
  if (run.output.text !== null) facts.text = run.output.text;
  if (run.external_id) facts.externalId = run.external_id;
  if (run.details_url) facts.detailsUrl = run.details_url;
  return facts;
}
