import { describe, expect, it } from "@jest/globals";
import { diagnostic, type Diagnostic } from "../../src/domain/core/diagnostic.js";
import {
  chooseFormat,
  createProgress,
  escapeData,
  escapeProperty,
  formatCount,
  formatGithub,
  formatJson,
  formatSummary,
  formatText,
  printable,
  renderDiagnostics,
  summarize,
  useColor,
} from "../../src/cli/output.js";

const sample: Diagnostic[] = [
  diagnostic({ code: "unknown-parent", file: "requirements/b.yml", line: 7, column: 5, message: "REQ-002: unknown parent SYS-9", hint: "did you mean SYS-009?" }),
  diagnostic({ code: "empty-file", file: "requirements/a.yml", severity: "warning", message: "the file is empty" }),
  diagnostic({
    code: "duplicate-id",
    file: "requirements/a.yml",
    line: 3,
    column: 1,
    message: "REQ-001 is defined twice",
    related: [{ file: "requirements/c.yml", line: 1, column: 1 }],
  }),
];

describe("summary", () => {
  it("counts errors, warnings and files", () => {
    expect(summarize(sample)).toEqual({ errors: 2, warnings: 1, files: 2 });
    expect(formatSummary({ errors: 2, warnings: 1, files: 3 })).toBe("2 errors, 1 warning in 3 files");
    expect(formatSummary({ errors: 1, warnings: 0, files: 1 })).toBe("1 error in 1 file");
    expect(formatSummary({ errors: 0, warnings: 2, files: 1 })).toBe("2 warnings in 1 file");
    expect(formatSummary(summarize([]))).toBe("no problems found");
  });

  it("groups digits the same way in every locale", () => {
    expect(formatCount(55000)).toBe("55,000");
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(999)).toBe("999");
  });
});

describe("formatText", () => {
  it("prints sorted compiler-style lines, related places and the summary", () => {
    expect(formatText(sample)).toBe(
      [
        "requirements/a.yml: warning: the file is empty",
        "requirements/a.yml:3:1: error: REQ-001 is defined twice",
        "  requirements/c.yml:1:1: note: related location",
        "requirements/b.yml:7:5: error: REQ-002: unknown parent SYS-9 (did you mean SYS-009?)",
        "",
        "2 errors, 1 warning in 2 files",
        "",
      ].join("\n"),
    );
  });

  it("says so when there is nothing to report", () => {
    expect(formatText([])).toBe("no problems found\n");
  });

  it("colours only when asked, with the same text underneath", () => {
    const coloured = formatText(sample, true);
    expect(coloured).toContain("\x1b[31m");
    expect(coloured.replace(new RegExp(`${"\x1b"}\\[[0-9;]*m`, "g"), "")).toBe(formatText(sample));
  });

  it("never lets a file's text drive the terminal", () => {
    const hostile = diagnostic({ code: "invalid-id", file: "requirements/x.yml", line: 1, column: 1, message: "\"\x1b[2J\x1b]0;pwned\x07REQ-1\" is not valid" });
    const out = formatText([hostile]);
    expect(out).not.toContain("\x1b");
    expect(out).toContain("\\x1b[2J");
  });
});

interface JsonOutput {
  version: number;
  kind: string;
  summary: unknown;
  diagnostics: Array<Record<string, unknown>>;
}

describe("formatJson", () => {
  it("gives a stable object with diagnostics and summary", () => {
    const parsed = JSON.parse(formatJson(sample)) as JsonOutput;
    expect(Object.keys(parsed)).toEqual(["version", "kind", "diagnostics", "summary"]);
    expect([parsed.version, parsed.kind]).toEqual([1, "reqgate-check"]);
    expect(parsed.summary).toEqual({ errors: 2, warnings: 1, files: 2 });
    expect(parsed.diagnostics[0]).toEqual({ severity: "warning", code: "empty-file", file: "requirements/a.yml", line: 0, column: 0, message: "the file is empty" });
    expect(parsed.diagnostics[1]!.related).toEqual([{ file: "requirements/c.yml", line: 1, column: 1 }]);
    expect(Object.keys(parsed.diagnostics[2]!)).toEqual(["severity", "code", "file", "line", "column", "message", "hint"]);
  });

  it("never leaks the internal YAML path", () => {
    const withPath = diagnostic({ code: "x", file: "f.yml", message: "m", path: ["requirements", 0] });
    expect((JSON.parse(formatJson([withPath])) as JsonOutput).diagnostics[0]).not.toHaveProperty("path");
  });

  it("takes extra top-level fields after the stable ones", () => {
    expect(Object.keys(JSON.parse(formatJson([], { lock: "current" })) as JsonOutput)).toEqual(["version", "kind", "diagnostics", "summary", "lock"]);
  });
});

describe("GitHub Actions", () => {
  it("escapes data and properties as the toolkit does", () => {
    expect(escapeData("100% done\r\nnext")).toBe("100%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%d\n")).toBe("a%3Ab%2Cc%25d%0A");
  });

  it("writes one workflow command per diagnostic", () => {
    expect(formatGithub(sample).split("\n")).toEqual([
      "::warning file=requirements/a.yml,title=reqgate empty-file::the file is empty",
      "::error file=requirements/a.yml,line=3,col=1,title=reqgate duplicate-id::REQ-001 is defined twice",
      "::error file=requirements/b.yml,line=7,col=5,title=reqgate unknown-parent::REQ-002: unknown parent SYS-9 (did you mean SYS-009?)",
      "2 errors, 1 warning in 2 files",
      "",
    ]);
  });

  it("keeps a hostile message on one command line", () => {
    const d = diagnostic({ code: "c", file: "odd,name:1.yml", line: 2, column: 0, message: "line one\n::error::injected %0A" });
    expect(formatGithub([d]).split("\n")[0]).toBe("::error file=odd%2Cname%3A1.yml,line=2,title=reqgate c::line one%0A::error::injected %250A");
  });
});

describe("choosing format and colour", () => {
  it("prefers --format, then Actions, then text", () => {
    expect(chooseFormat("json", { GITHUB_ACTIONS: "true" })).toBe("json");
    expect(chooseFormat(undefined, { GITHUB_ACTIONS: "true" })).toBe("github");
    expect(chooseFormat(undefined, {})).toBe("text");
    expect(renderDiagnostics([], "json")).toContain('"summary"');
  });

  it("colours a terminal unless NO_COLOR is set", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
});

describe("createProgress", () => {
  function stream(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, isTTY, write: (text: string) => writes.push(text) };
  }

  it("is silent without a terminal and in CI", () => {
    for (const [s, env] of [[stream(false), {}], [stream(true), { CI: "true" }]] as const) {
      const p = createProgress(s, env, { delayMs: 0 });
      p.update("reading 55,000 files…");
      p.done();
      expect(s.writes).toEqual([]);
    }
  });

  it("waits before showing anything, throttles, and clears its line", () => {
    let t = 0;
    const s = stream(true);
    const p = createProgress(s, {}, { now: () => t, delayMs: 300, intervalMs: 100 });
    p.update("quick");
    t = 350;
    p.update("reading 1,000 files…");
    t = 380;
    p.update("too soon");
    t = 500;
    p.update("reading 2,000 files…");
    p.done();
    expect(s.writes).toEqual(["\r\x1b[2Kreading 1,000 files…", "\r\x1b[2Kreading 2,000 files…", "\r\x1b[2K"]);
  });

  it("does not clear a line it never wrote", () => {
    const s = stream(true);
    const p = createProgress(s, {}, { now: () => 0 });
    p.update("quick");
    p.done();
    expect(s.writes).toEqual([]);
  });
});

describe("printable", () => {
  it("shows control characters and keeps ordinary text", () => {
    expect(printable("a\tb\x1bc\u009bd é")).toBe("a\tb\\x1bc\\x9bd é");
    expect(printable("a\nb")).toBe("a\\x0ab");
    expect(printable("a\nb", true)).toBe("a\nb");
  });
});
