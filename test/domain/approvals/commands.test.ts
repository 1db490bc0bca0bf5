import { describe, expect, it } from "@jest/globals";
import { decideCommand, hasAtLeast, MAX_COMMANDS, MAX_REASON_LENGTH, parseCommands, type ActorPermission, type Command } from "../../../src/domain/approvals/commands.js";

function names(body: string): string[] {
  return parseCommands(body).map((c) => c.name);
}

describe("parseCommands", () => {
  it.each<[string, string, Command[]]>([
    ["a waiver with its reason", "/reqgate waive duplicate of internal ticket", [{ name: "waive", reason: "duplicate of internal ticket", line: 1 }]],
    ["a recheck after prose", "Fixed the body.\n\n/reqgate recheck", [{ name: "recheck", line: 3 }]],
    ["help", "/reqgate help", [{ name: "help", line: 1 }]],
    ["an unknown subcommand", "/reqgate frobnicate now", [{ name: "help", line: 1, unknown: "frobnicate" }]],
    ["a bare /reqgate", "/reqgate", [{ name: "help", line: 1, unknown: "" }]],
    ["a subcommand in capitals", "/reqgate RECHECK", [{ name: "recheck", line: 1 }]],
    ["approve with records", "/reqgate approve CR-1, CR-2", [{ name: "approve", records: ["CR-1", "CR-2"], line: 1 }]],
    ["up to three leading spaces", "   /reqgate recheck", [{ name: "recheck", line: 1 }]],
    ["CRLF line ends", "hi\r\n/reqgate waive ok\r\n", [{ name: "waive", reason: "ok", line: 2 }]],
    ["two commands", "/reqgate recheck\n/reqgate help", [{ name: "recheck", line: 1 }, { name: "help", line: 2 }]],
  ])("reads %s", (_name, body, expected) => {
    expect(parseCommands(body)).toEqual(expected);
  });

  it.each([
    ["mid-line", "please /reqgate waive x"],
    ["a longer word", "/reqgateway waive x"],
    ["no space", "/reqgate:waive x"],
    ["a block quote", "> /reqgate waive x"],
    ["a nested quote", "> > /reqgate waive x"],
    ["a quote's lazy continuation", "> quoted text\n/reqgate waive x"],
    ["a backtick fence", "```\n/reqgate waive x\n```"],
    ["a tilde fence", "~~~md\n/reqgate waive x\n~~~"],
    ["a longer fence closed only by a long enough one", "````\n```\n/reqgate waive x\n````"],
    ["an unclosed fence", "```\n/reqgate waive x"],
    ["an indented code block", "    /reqgate waive x"],
    ["a tab-indented code block", "\t/reqgate waive x"],
    ["an HTML comment", "<!--\n/reqgate waive x\n-->"],
    ["inline code", "`/reqgate waive x`"],
    ["a list item", "- /reqgate waive x"],
  ])("ignores a command in %s", (_name, body) => {
    expect(parseCommands(body)).toEqual([]);
  });

  it("reads a command after a quote ended by a blank line, and after a closed fence", () => {
    expect(names("> quoted\n\n/reqgate recheck\n```\ncode\n```\n/reqgate help")).toEqual(["recheck", "help"]);
  });

  it("takes at most MAX_COMMANDS commands", () => {
    expect(parseCommands("/reqgate recheck\n".repeat(50))).toHaveLength(MAX_COMMANDS);
  });

  it("cuts a long reason", () => {
    const [command] = parseCommands(`/reqgate waive ${"x".repeat(2000)}`);
    expect(command?.name === "waive" && command.reason.length).toBe(MAX_REASON_LENGTH);
  });

  // Speed is measured in bench/, not here: this shows the answer on hostile input (a quadratic scan
  // would run into the test timeout instead).
  it("finishes on hostile input, and still finds a command after it", () => {
    const body = "> ```\n".repeat(20_000) + "/reqgate ".repeat(20_000);
    expect(parseCommands(body)).toEqual([]);
    // The blank line ends the quote whose lazy continuation the long line was.
    expect(parseCommands(`${body}\n\n/reqgate recheck\n`)).toEqual([{ name: "recheck", line: 20_003 }]);
  });
});

describe("decideCommand", () => {
  const waive: Command = { name: "waive", reason: "spike", line: 1 };
  const emptyWaive: Command = { name: "waive", reason: "  ", line: 1 };
  const recheck: Command = { name: "recheck", line: 1 };
  const help: Command = { name: "help", line: 1 };
  const approve: Command = { name: "approve", records: [], line: 1 };

  it.each<[string, Command, ActorPermission, object]>([
    ["waive by a maintainer", waive, "maintain", { accepted: true }],
    ["waive by an admin", waive, "admin", { accepted: true }],
    ["waive by a writer", waive, "write", { accepted: false, refusal: "permission", required: "maintain", actual: "write" }],
    ["waive by an outsider", waive, "none", { accepted: false, refusal: "permission", required: "maintain", actual: "none" }],
    ["waive when the permission is unknown", waive, "unknown", { accepted: false, refusal: "permission-unknown", required: "maintain" }],
    ["waive without a reason", emptyWaive, "admin", { accepted: false, refusal: "missing-reason" }],
    ["recheck by a writer", recheck, "write", { accepted: true }],
    ["recheck by a triager", recheck, "triage", { accepted: false, refusal: "permission", required: "write", actual: "triage" }],
    ["help by anyone", help, "none", { accepted: true }],
    ["help when the permission is unknown", help, "unknown", { accepted: true }],
    ["approve on an issue", approve, "admin", { accepted: false, refusal: "wrong-place", places: ["pull_request"] }],
  ])("%s", (_name, command, permission, expected) => {
    expect(decideCommand(command, "issue", permission)).toMatchObject(expected);
  });

  it.each<[Parameters<typeof hasAtLeast>[0], Parameters<typeof hasAtLeast>[1], boolean]>([
    ["admin", "maintain", true],
    ["maintain", "maintain", true],
    ["write", "maintain", false],
    ["none", "read", false],
    ["read", "read", true],
  ])("%s has at least %s: %s", (actual, required, expected) => {
    expect(hasAtLeast(actual, required)).toBe(expected);
  });
});
