// Writes the pull-request-side webhook fixtures of test/fixtures/webhooks from @octokit/webhooks-examples:
// each payload trimmed to the fields reqgate reads (plus ids), and adapted so that every fixture is
// about the same repository (Codertocat/Hello-World, id 186853002), pull request #2 and this App
// (id 31337, as in test/helpers/github-app.ts). Run `node scripts/webhook-fixtures.js` after changing it.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json");
const out = new URL("../test/fixtures/webhooks/", import.meta.url);

const APP_ID = 31337;
const HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const BASE = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

function example(name, action, index = 0) {
  const list = examples.find((e) => e.name === name).examples.filter((x) => (action === undefined ? true : x.action === action));
  return structuredClone(list[index]);
}

const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o && k in o).map((k) => [k, o[k]]));
const user = (u) => pick(u, ["login", "id", "type"]);

const REPOSITORY = {
  id: 186853002,
  node_id: "MDEwOlJlcG9zaXRvcnkxODY4NTMwMDI=",
  name: "Hello-World",
  full_name: "Codertocat/Hello-World",
  private: false,
  owner: { login: "Codertocat", id: 21031067, type: "User" },
  html_url: "https://github.com/Codertocat/Hello-World",
  default_branch: "master",
};
const INSTALLATION = { id: 2, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };

function common(payload) {
  return { repository: REPOSITORY, sender: user(payload.sender), installation: INSTALLATION };
}

function pullRequest(pr) {
  return {
    ...pick(pr, ["url", "id", "number", "state", "title", "body", "created_at", "updated_at", "draft", "html_url", "changed_files"]),
    user: user(pr.user),
    labels: (pr.labels ?? []).map((l) => pick(l, ["id", "name"])),
    head: { ref: pr.head.ref, sha: pr.head.sha, repo: pick(pr.head.repo, ["id", "name", "full_name"]) },
    base: { ref: pr.base.ref, sha: pr.base.sha, repo: pick(pr.base.repo, ["id", "name", "full_name"]) },
  };
}

const PR_REF = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2", id: 279147437, number: 2, head: { ref: "changes", sha: HEAD, repo: { id: 186853002, name: "Hello-World" } }, base: { ref: "master", sha: BASE, repo: { id: 186853002, name: "Hello-World" } } };

function write(name, payload) {
  writeFileSync(new URL(`${name}.json`, out), `${JSON.stringify(payload, null, 2)}\n`);
}

// pull_request.*: the examples are about Codertocat/Hello-World#2 already (ready_for_review and a few
// others come from other repositories: their pull request is replaced by #2 with its fields).
const opened = example("pull_request", "opened");
const basePr = pullRequest(opened.pull_request);
for (const action of ["opened", "edited", "synchronize", "reopened", "ready_for_review", "labeled", "unlabeled"]) {
  const found = action === "edited" ? undefined : example("pull_request", action);
  const payload = found ?? { ...opened, action: "edited", changes: { body: { from: "This is a pretty simple change that we need to pull into master." } } };
  const pr = { ...basePr, ...(action === "ready_for_review" ? { draft: false } : {}) };
  const trimmed = { action, number: 2, ...(payload.changes ? { changes: payload.changes } : {}), ...(action === "labeled" || action === "unlabeled" ? { label: pick(payload.label, ["id", "name"]) } : {}), pull_request: pr, ...common(payload) };
  if (action === "synchronize") Object.assign(trimmed, { before: "6113728f27ae82c7b1a177c8d03f9e96e0adf246", after: HEAD });
  write(`pull_request.${action}`, trimmed);
}

// pull_request_review.*: there is no `edited` example; it is the submitted one with `changes`.
for (const [action, source, state] of [["submitted", "submitted", "approved"], ["edited", "submitted", "approved"], ["dismissed", "dismissed", "dismissed"]]) {
  const payload = example("pull_request_review", source);
  const review = { ...pick(payload.review, ["id", "node_id", "body", "commit_id", "submitted_at", "html_url"]), user: user(payload.review.user), state };
  write(`pull_request_review.${action}`, { action, ...(action === "edited" ? { changes: { body: { from: "" } } } : {}), review, pull_request: basePr, ...common(payload) });
}

// issue_comment.* on the pull request: the issue examples, with `issue.pull_request` and number 2.
for (const action of ["created", "edited", "deleted"]) {
  const payload = example("issue_comment", action);
  const issue = { ...pick(payload.issue, ["id", "node_id", "title", "state", "created_at", "updated_at"]), number: 2, user: user(payload.issue.user), labels: [], body: basePr.body, pull_request: { url: PR_REF.url, html_url: basePr.html_url } };
  const comment = { ...pick(payload.comment, ["id", "node_id", "body", "created_at", "updated_at"]), user: user(payload.comment.user) };
  write(`issue_comment.${action}.pr`, { action, ...(payload.changes ? { changes: payload.changes } : {}), issue, comment, ...common(payload) });
}

// check_run.*: adapted to this App's reqgate/baseline run on #2's head.
for (const [name, action, prs] of [["check_run.rerequested", "rerequested", [PR_REF]], ["check_run.rerequested.fork", "rerequested", []], ["check_run.requested_action", "requested_action", [PR_REF]]]) {
  const payload = example("check_run", action);
  const checkRun = { id: 128620228, name: "reqgate/baseline", head_sha: HEAD, external_id: "", status: "completed", conclusion: "action_required", app: { id: APP_ID, slug: "reqgate" }, pull_requests: prs };
  write(name, { action, check_run: checkRun, ...(action === "requested_action" ? { requested_action: { identifier: "approve" } } : {}), ...common(payload) });
}

// check_suite.*: the examples are about Codertocat/Hello-World; requested on #2's head, rerequested too.
for (const action of ["requested", "rerequested"]) {
  const payload = example("check_suite", action);
  const suite = { ...pick(payload.check_suite, ["id", "node_id", "status", "conclusion"]), head_branch: "changes", head_sha: HEAD, before: BASE, after: HEAD, pull_requests: [PR_REF], app: { id: APP_ID, slug: "reqgate" } };
  write(`check_suite.${action}`, { action, check_suite: suite, ...common(payload) });
}

// merge_group.checks_requested: the example, for #2 in a queue on master.
{
  const payload = example("merge_group", "checks_requested");
  const group = { ...payload.merge_group, head_sha: "2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d", head_ref: `refs/heads/gh-readonly-queue/master/pr-2-${HEAD}`, base_sha: BASE, base_ref: "refs/heads/master" };
  write("merge_group.checks_requested", { action: "checks_requested", merge_group: group, ...common(payload) });
}

// push: the example push to master, with a before commit and its commit's file lists.
{
  const payload = example("push", undefined, 4);
  const commit = { ...pick(payload.commits[0], ["id", "tree_id", "distinct", "message", "timestamp", "url"]), added: [], removed: [], modified: ["README.md"] };
  write("push.default-branch", { ref: "refs/heads/master", before: BASE, after: payload.after, created: false, deleted: false, forced: false, commits: [commit], head_commit: commit, ...common(payload), pusher: pick(payload.pusher, ["name", "email"]) });
}
