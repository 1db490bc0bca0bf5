// `checkRepository`: everything the engine knows about one snapshot of a repository, for the CLI's
// `check`, `baseline`, `report` and `trace`. One pass per concern, each linear in the number of items.
import { linkDiagnostics } from "../baseline/links.js";
import { computeBaseline, heldEntries, parseLock, sameLock, type BaselineResult, type Lock } from "../baseline/baseline.js";
import type { Config } from "../config/config.js";
import { cmp, diagnostic, sortDiagnostics, type Diagnostic } from "../core/diagnostic.js";
import { MAX_EVIDENCE_BYTES } from "../core/limits.js";
import { evidenceDiagnostics, type EvidenceRef, ignoredEvidenceDiagnostics, IMPLEMENTS_TAG, indexEvidence, scanEvidence, VERIFIES_TAG } from "../requirements/evidence.js";
import { parseChangeRecordFile, parseRequirementFile } from "../requirements/parse-requirements.js";
import type { ChangeRecord, Requirement } from "../requirements/requirement.js";
import { validateRequirements } from "../requirements/validate.js";
import { resolvePositions } from "../requirements/yaml.js";
import { parseJunit, type TestCase } from "../verification/junit.js";
import { assessVerification, testsOfTags, type RequirementVerification, type TaggedRef } from "../verification/verification.js";

export interface SourceFile {
  /** Repository-relative, forward slashes. */
  path: string;
  /** Text, or bytes for the engine to decode (and to report when they are not UTF-8 text). */
  content: string | Uint8Array;
}

export interface RepoSnapshot {
  config: Config;
  requirementFiles: readonly SourceFile[];
  recordFiles: readonly SourceFile[];
  lock?: SourceFile;
  /** `.github/reqgate.yml`, for placing diagnostics about its keys. */
  configFile?: SourceFile;
  /** Files under `verification.paths`; omit to skip evidence. */
  evidenceFiles?: readonly SourceFile[];
  /** Paths that exist but could not be read (refused by size or type): never taken for removed files. */
  unreadableFiles?: readonly string[];
  /** Files under `verification.implementation_paths`, searched for `@implements`; omit to skip. */
  implementationFiles?: readonly SourceFile[];
  /** JUnit XML files matching `verification.results`; omit when results were not read. */
  resultFiles?: readonly SourceFile[];
}

export type RepoLockState = "current" | "stale" | "missing" | "invalid" | "undetermined";

export interface RepoCheck {
  requirements: Requirement[];
  /** Each ID's first definition. */
  byId: Map<string, Requirement>;
  records: ChangeRecord[];
  /** The committed lock, when it parses. */
  lock?: Lock;
  lockState: RepoLockState;
  /** What `reqgate baseline` would write from this snapshot. */
  baseline: BaselineResult;
  /** `@verifies` evidence by ID, each tag tied to the test it belongs to. */
  evidence: Map<string, TaggedRef[]>;
  /** `@implements` evidence by ID. */
  implementations: Map<string, EvidenceRef[]>;
  /** Each requirement's verification status and the test results tied to it. */
  verification: Map<string, RequirementVerification>;
  /** How many test cases the results files held (undefined: no results configured). */
  testCases?: number;
  /** Positioned and sorted. */
  diagnostics: Diagnostic[];
}

export function checkRepository(snapshot: RepoSnapshot): RepoCheck {
  const { config } = snapshot;
  const prefixes = new Set(config.requirements.prefixes);
  const maxBytes = config.requirements.max_file_kb * 1024;
  const diagnostics: Diagnostic[] = [];

  const requirements: Requirement[] = [];
  // Files whose requirements may not all have been read: an error in the file, or the file unreadable.
  const broken = new Set<string>(snapshot.unreadableFiles ?? []);
  for (const file of snapshot.requirementFiles) {
    const parsed = parseRequirementFile(file.path, file.content, { prefixes, maxBytes });
    // A loop, not push(...spread): a file may hold thousands of requirements.
    for (const d of parsed.diagnostics) {
      diagnostics.push(d);
      if (d.severity === "error") broken.add(file.path);
    }
    for (const r of parsed.requirements) requirements.push(r);
  }
  const validated = validateRequirements(requirements, { prefixes });
  diagnostics.push(...validated.diagnostics);

  const records = readRecords(snapshot, prefixes, maxBytes, diagnostics);

  let lock: Lock | undefined;
  let lockText: string | undefined;
  // A lock that is there but could not be read is not a missing lock (its refusal is the finding).
  let lockInvalid = snapshot.unreadableFiles?.includes(config.requirements.lock.replace(/^(\.\/)+/, "")) ?? false;
  if (snapshot.lock) {
    const text = typeof snapshot.lock.content === "string" ? snapshot.lock.content : new TextDecoder().decode(snapshot.lock.content);
    const parsed = parseLock(snapshot.lock.path, text);
    lockText = text;
    diagnostics.push(...parsed.diagnostics);
    lock = parsed.lock;
    lockInvalid = !parsed.lock;
  }

  // The set of parsed IDs only when a file is broken: heldEntries needs it for those files alone.
  const held = lock && broken.size > 0 ? heldEntries(lock, broken, new Set(requirements.map((r) => r.id))) : [];
  const baseline = computeBaseline(lock ?? { applied: [], entries: [] }, requirements, records, held);
  const lockState = stateOfLock(lock, lockInvalid, baseline);
  diagnostics.push(...lockDiagnostics(config, lockState, baseline, snapshot.lock !== undefined));
  if (lock?.links) diagnostics.push(...linkDiagnostics(lock, snapshot.lock!.path, lockText));

  let evidence = new Map<string, TaggedRef[]>();
  if (snapshot.evidenceFiles) {
    const refs: TaggedRef[] = [];
    for (const file of snapshot.evidenceFiles) {
      const text = evidenceText(file);
      if (text === undefined) continue;
      const ignored: number[] = [];
      const found = scanEvidence(file.path, text, prefixes, VERIFIES_TAG, ignored);
      if (ignored.length > 0) diagnostics.push(...ignoredEvidenceDiagnostics(file.path, ignored, prefixes));
      if (found.length === 0) continue;
      // Which test each tag belongs to: the file's lines are split only here, for files with tags.
      const tests = testsOfTags(text, found.map((r) => r.line));
      for (const ref of found) {
        const test = tests.get(ref.line);
        refs.push(test ? { id: ref.id, file: ref.file, line: ref.line, test } : ref);
      }
    }
    evidence = indexEvidence(refs);
    // Requirements of a broken file are known from the lock: their @verifies lines are not "unknown".
    let known: ReadonlyMap<string, { status: string; supersededBy?: string | undefined }> = validated.byId;
    if (held.length > 0) {
      const merged = new Map<string, { status: string; supersededBy?: string | undefined }>(validated.byId);
      for (const e of held) if (!merged.has(e.id)) merged.set(e.id, e);
      known = merged;
    }
    diagnostics.push(...evidenceDiagnostics(refs, known));
  }
  let implementations = new Map<string, EvidenceRef[]>();
  if (snapshot.implementationFiles) {
    const refs: EvidenceRef[] = [];
    for (const file of snapshot.implementationFiles) {
      const text = evidenceText(file);
      if (text !== undefined) for (const ref of scanEvidence(file.path, text, prefixes, IMPLEMENTS_TAG)) refs.push(ref);
    }
    implementations = indexEvidence(refs);
    diagnostics.push(...evidenceDiagnostics(refs, validated.byId, IMPLEMENTS_TAG));
  }

  const resultsConfigured = config.verification.results.length > 0 && snapshot.resultFiles !== undefined;
  const cases: TestCase[] = [];
  if (resultsConfigured) {
    for (const file of snapshot.resultFiles!) {
      const parsed = parseJunit(file.path, file.content);
      diagnostics.push(...parsed.diagnostics);
      for (const c of parsed.cases) cases.push(c);
    }
    if (snapshot.resultFiles!.length === 0) {
      diagnostics.push(diagnostic({ code: "results-missing", severity: "warning", file: ".github/reqgate.yml", path: ["verification", "results"], message: `verification.results (${config.verification.results.join(", ")}) matches no file, so no test result was read`, hint: "run the tests with a JUnit reporter first, or correct the globs" }));
    }
  }
  const baselinedIds = new Set<string>();
  for (const e of lock?.entries ?? []) if (e.status === "active") baselinedIds.add(e.id);
  const assessment = assessVerification({ requirements: validated.byId, baselined: baselinedIds, evidence, cases, resultsConfigured, required: config.verification.required, prefixes });
  diagnostics.push(...assessment.diagnostics);

  // Positions are resolved from the files' text only for the few files that have diagnostics.
  // The map of contents is built on the first file asked for: a clean snapshot asks for none.
  let contentOf: Map<string, string | Uint8Array> | undefined;
  const placed = resolvePositions(diagnostics, (file) => {
    if (contentOf === undefined) {
      contentOf = new Map();
      for (const list of [snapshot.requirementFiles, snapshot.recordFiles, snapshot.lock ? [snapshot.lock] : [], snapshot.configFile ? [snapshot.configFile] : []]) for (const f of list) contentOf.set(f.path, f.content);
    }
    const content = contentOf.get(file);
    return content === undefined ? undefined : typeof content === "string" ? content : new TextDecoder().decode(content);
  });
  return { requirements, byId: validated.byId, records, ...(lock ? { lock } : {}), lockState, baseline, evidence, implementations, verification: assessment.byId, ...(resultsConfigured ? { testCases: cases.length } : {}), diagnostics: sortDiagnostics(placed) };
}

function readRecords(snapshot: RepoSnapshot, prefixes: ReadonlySet<string>, maxBytes: number, diagnostics: Diagnostic[]): ChangeRecord[] {
  const records: ChangeRecord[] = [];
  const seen = new Map<string, ChangeRecord>();
  for (const file of snapshot.recordFiles) {
    const parsed = parseChangeRecordFile(file.path, file.content, { changePrefix: snapshot.config.requirements.change_prefix, prefixes, maxBytes });
    diagnostics.push(...parsed.diagnostics);
    const record = parsed.record;
    if (!record) continue;
    const first = seen.get(record.id);
    if (first) {
      diagnostics.push(diagnostic({ code: "duplicate-id", file: file.path, path: ["id"], message: `${record.id} is already defined in ${first.origin.file}`, hint: "give the new change record the next free number", related: [{ file: first.origin.file, line: 0, column: 0, path: ["id"] }] }));
      continue;
    }
    seen.set(record.id, record);
    records.push(record);
  }
  return records.sort((a, b) => cmp(a.id, b.id));
}

function stateOfLock(lock: Lock | undefined, invalid: boolean, baseline: BaselineResult): RepoLockState {
  if (invalid) return "invalid";
  if (!baseline.lock) return "undetermined";
  if (!lock) return baseline.lock.entries.length === 0 ? "current" : "missing";
  // Equal content is what counts: a lock reformatted by hand says the same, and `baseline` restores its form.
  return sameLock(lock, baseline.lock) ? "current" : "stale";
}

function lockDiagnostics(config: Config, state: RepoLockState, baseline: BaselineResult, hasLock: boolean): Diagnostic[] {
  const file = config.requirements.lock;
  // The lock's own diagnostics (unparsable, refused) are the finding; a diff against nothing would list
  // every requirement as uncredited.
  if (state === "invalid") return [];
  const baselined = baseline.changes.filter((c) => c.after !== undefined).length;
  if (!hasLock && state === "undetermined" && baseline.credited.size === 0) {
    // A repository adopting reqgate: one finding, not one per requirement.
    return [diagnostic({ code: "lock-missing", file, message: `there is no baseline yet for ${baselined} requirements`, hint: "adopt them: `reqgate init --adopt` writes the first change record, then `reqgate baseline` writes the lock" })];
  }
  if (state === "missing") {
    return [diagnostic({ code: "lock-missing", file, message: `there is no baseline lock yet for ${baseline.lock!.entries.length} baselined requirements`, hint: "run `reqgate baseline` and commit the lock" })];
  }
  if (state === "stale") {
    const moved = baseline.changes.map((c) => `${c.id} ${c.kind}`);
    const shown = moved.slice(0, 10).join(", ") + (moved.length > 10 ? `, and ${moved.length - 10} more` : "");
    return [diagnostic({ code: "lock-stale", file, line: 1, column: 1, message: moved.length ? `the baseline lock is out of date: ${shown}` : "the baseline lock is not in the form `reqgate baseline` writes", hint: "run `reqgate baseline` and commit the lock" })];
  }
  // Undetermined: the changes that no change record (or more than one) claims; and stale-record warnings.
  return baseline.diagnostics;
}

function evidenceText(file: SourceFile): string | undefined {
  if (typeof file.content === "string") return file.content;
  if (file.content.byteLength > MAX_EVIDENCE_BYTES || file.content.includes(0)) return undefined;
  return new TextDecoder().decode(file.content);
}
