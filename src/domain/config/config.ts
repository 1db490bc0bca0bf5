// The schema of `.github/reqgate.yml` (SPEC 1.4). One source of truth: defaults and descriptions live
// here, the committed JSON Schema (schema/reqgate.schema.json) is generated from it, and every reader
// parses through `parseConfig` — a cast of `context.config<T>()` is never trusted.
import * as z from "zod";
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import { braceExpansions, MAX_BRACE_EXPANSIONS } from "./brace-count.js";
import { CONFIG_PATH } from "./config-path.js";
import { VERIFICATION_METHODS } from "../requirements/requirement.js";

const Glob = z
  .string()
  .min(1)
  .max(500)
  .refine((glob) => braceExpansions(glob) <= MAX_BRACE_EXPANSIONS, `the glob's braces expand to more than ${MAX_BRACE_EXPANSIONS} patterns; list fewer alternatives`);
const Login = z.string().min(1).max(100);
const Prefix = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,19}$/, "a prefix is 1-20 capital letters, digits or _, starting with a letter");

export const PERMISSIONS = ["read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const Approvers = z
  .strictObject({
    teams: z
      .array(z.string().regex(/^@?[\w.-]+\/[\w.-]+$/, "a team is org/team-slug (a leading @ is allowed)"))
      .default([])
      .describe("Teams whose members may approve, as org/team-slug."),
    users: z.array(Login).default([]).describe("Users who may approve, by login."),
    permission: z
      .enum(PERMISSIONS)
      .optional()
      .describe("Anyone with at least this repository permission may approve."),
  })
  .describe("Who may approve. A person qualifies through any one of teams, users or permission.");

const Rule = z
  .strictObject({
    name: z.string().min(1).max(100).describe("Shown in the check's title and summary."),
    match: z
      .array(Glob)
      .default([])
      .describe("Requirement file globs (minimatch, relative to the repository root); \"**\" matches all."),
    tags: z.array(z.string().min(1)).default([]).describe("The rule also matches requirements carrying any of these tags."),
    approvers: Approvers.default({ teams: [], users: [], permission: "maintain" }),
    count: z.number().int().min(1).max(20).default(1).describe("Approvals needed from this rule's approvers."),
  })
  .describe("A change-control rule: every rule that matches a changed requirement must be met.");

export const ConfigSchema = z
  .strictObject({
    requirements: z
      .strictObject({
        paths: z
          .array(Glob)
          .min(1)
          .default(["requirements/**/*.yml", "requirements/**/*.yaml"])
          .describe("Globs of requirement files. The change-record folder is always excluded."),
        prefixes: z.array(Prefix).min(1).default(["REQ"]).describe("Requirement ID prefixes (IDs are PREFIX-NUMBER)."),
        changes: z.string().min(1).default("requirements/changes").describe("Folder of change records."),
        lock: z.string().min(1).default("requirements/baseline.lock").describe("Path of the baseline lock."),
        change_prefix: Prefix.default("CR").describe("Change record ID prefix."),
        max_file_kb: z
          .number()
          .int()
          .min(1)
          .max(10240)
          .default(512)
          .describe("Requirement files and change records larger than this are rejected."),
      })
      .prefault({}),
    issues: z
      .strictObject({
        mode: z.enum(["off", "label", "comment-and-label"]).default("comment-and-label"),
        label: z.string().min(1).max(50).default("needs-requirement"),
        exempt_labels: z.array(z.string()).default(["question", "duplicate", "invalid", "wontfix"]),
        exempt_authors: z.array(Login).default(["dependabot[bot]", "renovate[bot]"]),
      })
      .prefault({}),
    pull_requests: z
      .strictObject({
        trace: z.enum(["required", "advisory", "off"]).default("required"),
        exempt_labels: z.array(z.string()).default([]),
        exempt_authors: z.array(Login).default(["dependabot[bot]", "renovate[bot]"]),
      })
      .prefault({}),
    change_control: z
      .strictObject({
        rules: z
          .array(Rule)
          .default([
            {
              name: "requirements board",
              match: ["**"],
              tags: [],
              approvers: { teams: [], users: [], permission: "maintain" },
              count: 1,
            },
          ]),
        allow_author: z.boolean().default(false).describe("May the pull request's author approve?"),
        allow_contributors: z
          .boolean()
          .default(false)
          .describe("May someone who pushed commits to the pull request approve?"),
      })
      .prefault({}),
    suspect: z
      .strictObject({
        enabled: z.boolean().default(true),
        label: z.string().min(1).max(50).default("suspect"),
      })
      .prefault({}),
    dashboard: z.boolean().default(true).describe("Keep the traceability dashboard issue (`reqgate: traceability dashboard`) current."),
    verification: z
      .strictObject({
        paths: z
          .array(Glob)
          .default(["test/**", "tests/**", "spec/**"])
          .describe("Where `@verifies ID` lines are searched as verification evidence."),
        required: z
          .array(z.enum(VERIFICATION_METHODS))
          .default([])
          .describe(
            "Verification methods whose evidence is demanded: a baselined active requirement with one of these methods and no evidence (or failed test results) is an error of `check`.",
          ),
        results: z
          .array(Glob)
          .max(50)
          .default([])
          .describe("JUnit XML files with test results (globs), e.g. reports/junit/*.xml: evidence becomes passed, failed, skipped or not run."),
        implementation_paths: z
          .array(Glob)
          .default(["src/**", "lib/**"])
          .describe("Where `@implements ID` lines are searched as implementation evidence (source code)."),
      })
      .prefault({}),
  })
  .superRefine((config, ctx) => {
    const prefixes = new Set(config.requirements.prefixes);
    if (prefixes.has(config.requirements.change_prefix)) {
      ctx.addIssue({
        code: "custom",
        path: ["requirements", "change_prefix"],
        message: `change_prefix "${config.requirements.change_prefix}" is also a requirement prefix; use a distinct prefix`,
      });
    }
    config.change_control.rules.forEach((rule, i) => {
      if (rule.match.length === 0 && rule.tags.length === 0) {
        ctx.addIssue({ code: "custom", path: ["change_control", "rules", i], message: "the rule matches nothing: give `match` globs or `tags`" });
      }
      const a = rule.approvers;
      if (a.teams.length === 0 && a.users.length === 0 && a.permission === undefined) {
        ctx.addIssue({ code: "custom", path: ["change_control", "rules", i, "approvers"], message: "nobody can approve: name teams, users or a permission" });
      }
    });
  });

export type Config = z.output<typeof ConfigSchema>;
export type ChangeRule = Config["change_control"]["rules"][number];

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

/** `_extends` is consumed by the loader (Probot's config plugin); it is allowed here so that it never fails validation. */
const IGNORED_KEYS = new Set(["_extends"]);

/**
 * Validates an already-parsed configuration object. Never throws: problems come back as diagnostics
 * naming the exact key (`change_control.rules[0].count`), and then `config` is undefined.
 */
export function parseConfig(raw: unknown, file = CONFIG_PATH): { config?: Config; diagnostics: Diagnostic[] } {
  const input = raw === null || raw === undefined ? {} : raw;
  if (typeof input !== "object" || Array.isArray(input)) {
    return { diagnostics: [diagnostic({ code: "config-invalid", file, message: "the configuration must be a mapping of keys" })] };
  }
  const cleaned = Object.fromEntries(Object.entries(input).filter(([k]) => !IGNORED_KEYS.has(k)));
  const result = ConfigSchema.safeParse(cleaned);
  if (result.success) return { config: result.data, diagnostics: [] };
  return {
    diagnostics: result.error.issues.map((issue) =>
      diagnostic({
        code: "config-invalid",
        file,
        path: issue.path.filter((p): p is string | number => typeof p !== "symbol"),
        message: `${formatKey(issue.path)}: ${describeIssue(issue)}`,
      }),
    ),
  };
}

function formatKey(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(top level)";
  return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  if (issue.code === "invalid_value" && "values" in issue) return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return issue.message;
}
