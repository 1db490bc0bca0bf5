import { describe, expect, it } from "@jest/globals";
import { escapeInline, inlineCode, ZWJ } from "../../../src/domain/core/markdown.js";

// What GitHub would autolink or interpret, in the escaped output. Each must never match.
const MENTION = /(^|[^\w`])@[A-Za-z0-9]/;
const ISSUE_REF = /#\d/;
const GH_REF = /\bGH-\d/i;
const URL_START = /https?:\/\//i;

describe("escapeInline", () => {
  it.each([
    ["a mention", "ping @octocat please", `ping @${ZWJ}octocat please`],
    ["a team mention", "@acme/security", `@${ZWJ}acme/security`],
    ["an issue reference", "fixes #12", `fixes \\#${ZWJ}12`],
    ["a cross-repository reference", "see acme/app#3", `see acme/app\\#${ZWJ}3`],
    ["a GH- reference", "GH-7 and gh-8", `GH\\-${ZWJ}7 and gh\\-${ZWJ}8`],
    ["the hidden marker", "<!-- reqgate:issue -->", `&lt;\\!\\-\\- reqgate:${ZWJ}issue \\-\\-&gt;`],
    ["a comment close", "x --> y", "x \\-\\-&gt; y"],
    ["a table pipe", "a | b", "a \\| b"],
    ["a link", "[click](http://evil)", `\\[click\\]\\(http:${ZWJ}//evil\\)`],
    ["emphasis and code", "*b* _i_ `c`", "\\*b\\* \\_i\\_ \\`c\\`"],
    ["a heading at the start", "# Title", `\\#${ZWJ} Title`],
    ["new lines", "one\ntwo\r\nthree", "one two three"],
    ["an entity", "&#64;octocat", `&amp;\\#${ZWJ}64;octocat`],
    ["bidi override", "abc\u202edef", "abcdef"],
  ])("neutralises %s", (_name, input, expected) => {
    expect(escapeInline(input)).toBe(expected);
  });

  it.each([
    "@octocat",
    "hello @octocat, see #1 and acme/app#2 and GH-3",
    "https://github.com/acme/app/issues/4",
    "<!-- reqgate:issue --> @a #5",
    "&#64;user &#35;6",
  ])("leaves nothing GitHub would link in %j", (input) => {
    const out = escapeInline(input);
    expect(out).not.toMatch(MENTION);
    expect(out).not.toMatch(ISSUE_REF);
    expect(out).not.toMatch(GH_REF);
    expect(out).not.toMatch(URL_START);
    expect(out).not.toContain("<");
    expect(out).not.toContain("\n");
  });

  it("cuts long text with an ellipsis, by characters not code units", () => {
    expect(escapeInline("abcdef", 4)).toBe("abc…");
    expect(escapeInline("😀😀😀😀", 3)).toBe("😀😀…");
  });

  // Speed is measured in bench/, not here: this shows the whole answer on hostile input.
  it("escapes a long hostile text completely", () => {
    const hostile = "@#<>`|[](){}\n".repeat(20_000);
    const escaped = "@\u200d\\#\u200d&lt;&gt;\\`\\|\\[\\]\\(\\)\\{\\} ";
    expect(escapeInline(hostile, 1_000_000)).toBe(escaped.repeat(20_000).trimEnd());
  });
});

describe("inlineCode", () => {
  it.each([
    ["REQ-1", "`REQ-1`"],
    ["a`b", "``a`b``"],
    ["`x`", "`` `x` ``"],
    ["", "` `"],
    ["two\nlines", "`two lines`"],
  ])("quotes %j", (input, expected) => {
    expect(inlineCode(input)).toBe(expected);
  });
});
