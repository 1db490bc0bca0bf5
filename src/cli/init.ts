// `reqgate init`: starter files for a repository, never overwriting one that exists. Templates are
// string constants so that the package ships no loose template files.
import { mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { Minimatch } from "minimatch";
import { DEFAULT_CONFIG, type Config } from "../domain/config/config.js";
import { classifier, staticPrefixes } from "../domain/config/paths.js";
import { CONFIG_PATH } from "../domain/config/config-path.js";
import { escapingLink } from "../local/safe-paths.js";

export interface NewFile {
  /** Repository-relative, forward slashes. */
  path: string;
  text: string;
}

export interface WriteResult {
  written: string[];
  skipped: Array<{ path: string; reason: string }>;
}

export const ISSUE_FORM_PATH = ".github/ISSUE_TEMPLATE/work-item.yml";

/** The starter configuration: every key with its default value, and what it is for. */
export const CONFIG_TEMPLATE = `# reqgate configuration. Every key is optional; the values below are the defaults, so delete what
# you do not change. The schema of this file is reqgate.schema.json, shipped in the reqgate package
# (schema/reqgate.schema.json): point your editor's YAML schema setting at it to check the file as you type.

requirements:
  # Requirement files: minimatch globs relative to the repository root. The change-record folder
  # and the lock are never requirement files.
  paths: ["requirements/**/*.yml", "requirements/**/*.yaml"]
  # IDs are PREFIX-NUMBER (REQ-001). Every prefix used, also in \`parents\`, must be listed.
  prefixes: [REQ]
  # Change records: one file per decision that moves the baseline.
  changes: requirements/changes
  change_prefix: CR
  # Written by \`reqgate baseline\`, never by hand.
  lock: requirements/baseline.lock
  # Requirement files and change records larger than this many KiB are rejected.
  max_file_kb: 512

issues:
  # off | label | comment-and-label: what happens to an issue that names no baselined requirement.
  mode: comment-and-label
  label: needs-requirement
  exempt_labels: [question, duplicate, invalid, wontfix]
  exempt_authors: ["dependabot[bot]", "renovate[bot]"]

pull_requests:
  # required | advisory (neutral instead of failure) | off: the reqgate/trace check.
  trace: required
  exempt_labels: []
  exempt_authors: ["dependabot[bot]", "renovate[bot]"]

change_control:
  # Every rule that matches a changed requirement must be met.
  rules:
    - name: requirements board
      match: ["**"]            # requirement file globs ("**": every requirement)
      tags: []                 # or requirements carrying one of these tags, e.g. [safety]
      approvers:
        teams: []              # org/team-slug
        users: []              # logins
        permission: maintain   # anyone with at least this repository permission
      count: 1                 # approvals needed
  allow_author: false          # may the pull request's author approve?
  allow_contributors: false    # may someone who pushed commits to the pull request approve?

suspect:
  # Open issues that reference a requirement that changed get this label until someone reviews them.
  enabled: true
  label: suspect

verification:
  # Where \`@verifies REQ-001\` lines count as verification evidence.
  paths: ["test/**", "tests/**", "spec/**"]
  # Verification methods whose evidence is demanded: e.g. [test] makes a baselined requirement with
  # \`verification: test\` and no evidence (or a failing test) an error of \`reqgate check\`.
  required: []
  # JUnit XML files with test results (jest-junit, pytest --junitxml, Surefire, go-junit-report).
  results: []
  # Where \`@implements REQ-001\` lines in source code count as implementation evidence.
  implementation_paths: ["src/**", "lib/**"]
`;

/** The example requirement, for the first configured prefix. */
export function requirementTemplate(id: string): string {
  return `# An example requirement: edit it or replace it. A file holds one requirement, or several under a
# \`requirements:\` list. Unknown keys are errors; free-form data goes under \`attributes:\`.
id: ${id}
title: Export the audit log
text: >
  The system shall let an administrator export the audit log of the last 90 days
  as a CSV file.
status: active          # draft | active | retired; drafts are never baselined
parents: []             # IDs of the requirements this one refines
verification: test      # test | analysis | inspection | demonstration
owner: "@your-org/your-team"
tags: []
links: []               # design documents, e.g. docs/design/audit-log.md
`;
}

/** The change record that baselines the example requirement. */
export function changeRecordTemplate(id: string, requirementId: string): string {
  return `# A change record: the durable "why" of a baseline move. A pull request that adds, changes,
# retires or removes baselined requirements adds one, lists them in \`affects\`, and runs
# \`reqgate baseline\` to update the lock. Approval comes from reviews on GitHub, not from this file.
id: ${id}
title: Initial baseline
rationale: >
  First baseline of the requirement set. Say who approved it and where that is recorded.
affects: [${requirementId}]
`;
}

/** A GitHub issue form that asks for the requirement a work item serves. */
export function issueFormTemplate(exampleId: string): string {
  return `# Work items trace to baselined requirements: reqgate labels an issue that names none.
name: Work item
description: Work that implements or changes a baselined requirement.
body:
  - type: input
    id: requirement
    attributes:
      label: Requirement
      description: >-
        The ID of the baselined requirement this work serves, e.g. ${exampleId}. Name several
        separated by commas. Draft and retired requirements are not a basis for work.
      placeholder: ${exampleId}
    validations:
      required: true
  - type: textarea
    id: work
    attributes:
      label: What needs to be done
    validations:
      required: true
  - type: textarea
    id: done
    attributes:
      label: How we will know it is done
`;
}

/**
 * The files `reqgate init` writes, placed where `config` expects them (the defaults unless the
 * repository already has a configuration).
 */
export function initFiles(config: Config = DEFAULT_CONFIG): NewFile[] {
  const prefix = config.requirements.prefixes[0] ?? "REQ";
  const requirementId = `${prefix}-001`;
  const recordId = `${config.requirements.change_prefix}-0001`;
  const classify = classifier(config);
  return [
    { path: CONFIG_PATH, text: CONFIG_TEMPLATE },
    { path: requirementPath(config, requirementId), text: requirementTemplate(requirementId) },
    { path: `${classify.changesDir === "" ? "" : `${classify.changesDir}/`}${recordId}.yml`, text: changeRecordTemplate(recordId, requirementId) },
    { path: ISSUE_FORM_PATH, text: issueFormTemplate(requirementId) },
  ];
}

/** A path for a new requirement file that the configured globs select: `<static prefix>/<ID>.yml`. */
export function requirementPath(config: Config, id: string): string {
  const classify = classifier(config);
  for (const glob of config.requirements.paths) {
    for (const prefix of staticPrefixes(new Minimatch(glob.replace(/^\.\//, "")))) {
      for (const ext of [".yml", ".yaml"]) {
        const candidate = `${prefix === "" ? "" : `${prefix}/`}${id}${ext}`;
        if (classify.isRequirement(candidate)) return candidate;
      }
    }
  }
  return `requirements/${id}.yml`;
}

/**
 * Writes each file unless something exists at its path (then it is skipped, never overwritten: the
 * exclusive-create flag also refuses to follow a symlink planted there). Paths that would land outside
 * `root` are skipped.
 */
export function writeNewFiles(root: string, files: readonly NewFile[]): WriteResult {
  const result: WriteResult = { written: [], skipped: [] };
  const base = resolve(root);
  for (const file of files) {
    const target = resolve(base, file.path);
    const rel = relative(base, target);
    if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      result.skipped.push({ path: file.path, reason: "outside the repository" });
      continue;
    }
    const link = escapingLink(realpathSync(base), rel.split(sep).join("/"));
    if (link) {
      result.skipped.push({ path: file.path, reason: `${link[0]} is a symbolic link out of the repository` });
      continue;
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EEXIST" && code !== "ENOTDIR") throw error;
      result.skipped.push({ path: file.path, reason: "a file is in the way of its folder" });
      continue;
    }
    try {
      writeFileSync(target, file.text, { flag: "wx" });
      result.written.push(file.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      result.skipped.push({ path: file.path, reason: "it exists" });
    }
  }
  return result;
}

/** `reqgate init` without --adopt: the starter files. */
export function runInit(root: string, config: Config = DEFAULT_CONFIG): WriteResult {
  return writeNewFiles(root, initFiles(config));
}

const NEXT_STEP = 'Next: edit the example files, then run "reqgate baseline" to write the lock, and commit everything.';

/** What init did, for people: one line per file, then the next step. */
export function formatWriteResult(result: WriteResult, next = NEXT_STEP): string {
  const lines = [
    ...result.written.map((path) => `wrote ${path}`),
    ...result.skipped.map((s) => `skipped ${s.path} (${s.reason})`),
  ];
  if (result.written.length > 0) {
    lines.push("", next);
  } else {
    lines.push("", "Nothing written: every file exists already.");
  }
  return `${lines.join("\n")}\n`;
}

export const ACTION_WORKFLOW_PATH = ".github/workflows/reqgate.yml";

/**
 * The workflow `reqgate init --action` writes: reqgate's Action in app mode on every event it handles,
 * with the least permissions it writes with. Runs are serialised per issue or pull request (a newer
 * event replaces a waiting one: the evaluation reads the subject as it is then), except new comments,
 * which may hold commands and so each get their own group.
 */
export const ACTION_WORKFLOW_TEMPLATE = `# reqgate without hosting anything: the App's checks, labels and comments, run by GitHub Actions with
# the workflow's token (see reqgate's README, "The GitHub Action"). Make reqgate/trace and
# reqgate/baseline required checks in the branch protection rule (or ruleset) of your default branch.
name: reqgate
on:
  issues:
    types: [opened, edited, reopened, labeled, unlabeled]
  issue_comment:
    types: [created, edited, deleted]
  # pull_request_target, not pull_request: a fork's pull request then gets a token that can post
  # checks. reqgate reads the pull request through the API and never runs its code.
  pull_request_target:
    types: [opened, edited, synchronize, reopened, ready_for_review, labeled, unlabeled]
  pull_request_review:
    types: [submitted, edited, dismissed]
  push:
    branches: [main]   # your default branch: the drift check
  merge_group:
    types: [checks_requested]

permissions:
  contents: read        # configuration, requirement files and the lock
  issues: write         # the label and the comment on issues
  pull-requests: write  # comments on pull requests
  checks: write         # reqgate/trace and reqgate/baseline

concurrency:
  group: reqgate-\${{ github.event_name == 'issue_comment' && github.event.action == 'created' && format('comment-{0}', github.event.comment.id) || format('subject-{0}', github.event.issue.number || github.event.pull_request.number || github.ref) }}
  cancel-in-progress: false

jobs:
  reqgate:
    runs-on: ubuntu-latest
    steps:
      - uses: reqgate/reqgate@v1
`;
