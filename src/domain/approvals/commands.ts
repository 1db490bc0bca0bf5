// The `/reqgate …` command grammar (SPEC 2.4) and who may run what, where.
//
// A command is a line of a comment that starts with `/reqgate` (after at most three spaces, as
// Markdown allows), outside block quotes (including their lazy continuation lines), fenced or indented
// code blocks and HTML comments. Everything here is a pure function of the comment's text; the
// permission itself is looked up by the caller and passed in.
import { PERMISSIONS, type Permission } from "../config/config.js";

export const COMMAND_NAMES = ["approve", "revoke", "waive", "reviewed", "recheck", "help"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export type Command =
  | { name: "waive"; reason: string; line: number }
  | { name: "approve"; records: string[]; line: number }
  | { name: "revoke" | "reviewed" | "recheck"; line: number }
  /** `unknown` is the subcommand that was not understood (empty for a bare `/reqgate`). */
  | { name: "help"; line: number; unknown?: string };

/** At most this many commands are taken from one comment; the rest are ignored. */
export const MAX_COMMANDS = 10;
/** A waiver reason is cut to this many characters. */
export const MAX_REASON_LENGTH = 500;

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const QUOTE = /^ {0,3}>/;
const COMMAND = /^ {0,3}\/reqgate(?:[ \t]+(.*))?$/;

/** The commands in a comment, in order, at most `MAX_COMMANDS`. Never throws. */
export function parseCommands(body: string): Command[] {
  const commands: Command[] = [];
  let fence: { char: string; length: number } | undefined;
  let inQuote = false;
  let inHtmlComment = false;
  const lines = body.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length && commands.length < MAX_COMMANDS; i++) {
    const line = lines[i]!;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (inHtmlComment) {
      if (line.includes("-->")) inHtmlComment = false;
      continue;
    }
    if (line.trim() === "") {
      inQuote = false;
      continue;
    }
    if (QUOTE.test(line)) {
      inQuote = true;
      continue;
    }
    if (inQuote) continue; // a lazy continuation line of the quote above
    const open = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot contain backticks (CommonMark); such a line is inline code.
    if (open && !(open[1]![0] === "`" && open[2]!.includes("`"))) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      continue;
    }
    const commentStart = line.lastIndexOf("<!--");
    if (commentStart >= 0 && line.indexOf("-->", commentStart + 4) < 0) {
      inHtmlComment = true;
      if (!line.trimStart().startsWith("/reqgate")) continue;
    }
    const match = COMMAND.exec(line);
    if (match) commands.push(toCommand((match[1] ?? "").trim(), i + 1));
  }
  return commands;
}

function toCommand(rest: string, line: number): Command {
  const space = rest.search(/\s/);
  const word = (space < 0 ? rest : rest.slice(0, space)).toLowerCase();
  const args = space < 0 ? "" : rest.slice(space + 1).trim();
  switch (word) {
    case "waive":
      return { name: "waive", reason: Array.from(args).slice(0, MAX_REASON_LENGTH).join(""), line };
    case "approve":
      return { name: "approve", records: args.split(/[\s,]+/).filter((t) => t !== ""), line };
    case "revoke":
    case "reviewed":
    case "recheck":
      return { name: word, line };
    case "help":
      return { name: "help", line };
    default:
      return { name: "help", line, unknown: word };
  }
}

export type Place = "issue" | "pull_request";

export interface CommandPolicy {
  /** Where the command means something. */
  places: readonly Place[];
  /** The least repository permission needed; "anyone" needs no lookup. Approvers of a change are decided by the rules. */
  minimum: Permission | "anyone";
}

export const COMMAND_POLICY: Readonly<Record<CommandName, CommandPolicy>> = {
  approve: { places: ["pull_request"], minimum: "anyone" },
  revoke: { places: ["pull_request"], minimum: "anyone" },
  waive: { places: ["issue", "pull_request"], minimum: "maintain" },
  reviewed: { places: ["issue", "pull_request"], minimum: "write" },
  recheck: { places: ["issue", "pull_request"], minimum: "write" },
  help: { places: ["issue", "pull_request"], minimum: "anyone" },
};

/** True when the command needs a permission lookup before it can be decided. */
export function needsPermission(command: Command): boolean {
  return COMMAND_POLICY[command.name].minimum !== "anyone";
}

/** What a person may do on a repository: a permission, "none", or "unknown" when the lookup failed. */
export type ActorPermission = Permission | "none" | "unknown";

export type CommandDecision =
  | { accepted: true; command: Command }
  | { accepted: false; command: Command; refusal: "wrong-place"; places: readonly Place[] }
  | { accepted: false; command: Command; refusal: "permission"; required: Permission; actual: Permission | "none" }
  /** The permission could not be read from GitHub: refused, never guessed (fail closed). */
  | { accepted: false; command: Command; refusal: "permission-unknown"; required: Permission }
  | { accepted: false; command: Command; refusal: "missing-reason" };

export function hasAtLeast(actual: Permission | "none", required: Permission): boolean {
  return actual !== "none" && PERMISSIONS.indexOf(actual) >= PERMISSIONS.indexOf(required);
}

/** Decides one command from where it was written and its author's permission. */
export function decideCommand(command: Command, place: Place, permission: ActorPermission): CommandDecision {
  const policy = COMMAND_POLICY[command.name];
  if (!policy.places.includes(place)) return { accepted: false, command, refusal: "wrong-place", places: policy.places };
  if (policy.minimum !== "anyone") {
    if (permission === "unknown") return { accepted: false, command, refusal: "permission-unknown", required: policy.minimum };
    if (!hasAtLeast(permission, policy.minimum)) return { accepted: false, command, refusal: "permission", required: policy.minimum, actual: permission };
  }
  if (command.name === "waive" && command.reason.trim() === "") return { accepted: false, command, refusal: "missing-reason" };
  return { accepted: true, command };
}
