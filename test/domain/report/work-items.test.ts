import { describe, expect, it } from "@jest/globals";
import { workItemsFromIssues } from "../../../src/domain/report/work-items.js";

const prefixes = new Set(["REQ", "SYS"]);

function issue(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { number: 1, title: "Lock accounts", body: "Implements REQ-012.", state: "open", labels: [], html_url: "https://github.com/acme/app/issues/1", ...over };
}

describe("workItemsFromIssues", () => {
  it("maps a REST issue export to work items with the IDs of title and body", () => {
    const raw = [
      issue({ number: 7, title: "SYS-3: audit", body: "See REQ-1 and REQ-12, again REQ-1. Not XREQ-4 nor REQ-5a.", labels: ["bug", { name: "security", color: "fff" }], user: { login: "x" } }),
      issue({ number: 8, title: "Bump deps", body: null, state: "closed", pull_request: { url: "https://api.github.com/..." } }),
    ];
    const { items, diagnostics } = workItemsFromIssues(raw, prefixes);
    expect(diagnostics).toEqual([]);
    expect(items).toEqual([
      { number: 7, title: "SYS-3: audit", state: "open", url: "https://github.com/acme/app/issues/1", labels: ["bug", "security"], isPullRequest: false, requirementIds: ["SYS-3", "REQ-1", "REQ-12"] },
      { number: 8, title: "Bump deps", state: "closed", url: "https://github.com/acme/app/issues/1", labels: [], isPullRequest: true, requirementIds: [] },
    ]);
  });

  it("accepts `gh issue list --json` exports (upper-case state, url) and the search API's {items}", () => {
    const gh = [{ number: 3, title: "REQ-1", body: "", state: "OPEN", labels: [{ name: "x" }], url: "https://github.com/acme/app/issues/3" }];
    expect(workItemsFromIssues(gh, prefixes).items[0]).toMatchObject({ state: "open", url: "https://github.com/acme/app/issues/3", requirementIds: ["REQ-1"] });
    const merged = [{ number: 4, title: "t", state: "MERGED" }];
    expect(workItemsFromIssues(merged, prefixes).items[0]).toMatchObject({ state: "closed", labels: [] });
    expect(workItemsFromIssues({ total_count: 1, items: [issue()] }, prefixes).items).toHaveLength(1);
  });

  it("does not take the REST API address for the item's page", () => {
    const { items } = workItemsFromIssues([{ number: 5, title: "t", state: "open", url: "https://api.github.com/repos/acme/app/issues/5" }], prefixes);
    expect(items[0]!.url).toBeUndefined();
  });

  it.each([
    ["a string", "[1,2]", "issues.json: expected a JSON array of issues"],
    ["null", null, "expected a JSON array"],
    ["an object without items", { a: 1 }, "expected a JSON array"],
  ])("rejects %s as a whole", (_name, raw, message) => {
    const { items, diagnostics } = workItemsFromIssues(raw, prefixes);
    expect(items).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(`${diagnostics[0]!.file}: ${diagnostics[0]!.message}`).toContain(message);
  });

  it.each([
    [{ number: "3" }, "item 2: `number` must be a number"],
    [{ number: undefined }, "item 2: `number` is missing"],
    [{ number: 1.5 }, "item 2: `number` must be a whole number"],
    [{ number: -1 }, "item 2: `number` must be positive"],
    [{ title: 42 }, "item 2: `title` must be a string"],
    [{ body: ["x"] }, "item 2: `body` must be a string or null"],
    [{ state: "pending" }, 'item 2: `state` must be "open" or "closed"'],
    [{ state: undefined }, "item 2: `state` is missing"],
    [{ labels: "bug" }, "item 2: `labels` must be a list"],
    [{ labels: ["ok", 3] }, "item 2: `labels[1]` must be a label name or an object with a `name`"],
    [{ html_url: 5 }, "item 2: `html_url` must be a string"],
  ])("reports a bad item %j clearly and keeps the good ones", (over, message) => {
    const { items, diagnostics } = workItemsFromIssues([issue({ number: 10 }), issue({ number: 11, ...over })], prefixes);
    expect(items.map((i) => i.number)).toEqual([10]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "error", code: "issues-invalid", file: "issues.json" });
    expect(diagnostics[0]!.message).toBe(message);
  });

  it("lists every problem of one item in one diagnostic, named after the file given", () => {
    const { diagnostics } = workItemsFromIssues([{ title: 1 }], prefixes, "export.json");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.file).toBe("export.json");
    expect(diagnostics[0]!.message).toBe("item 1: `number` is missing; `title` must be a string; `state` is missing");
  });

  it("rejects items that are not objects", () => {
    const { diagnostics } = workItemsFromIssues([null, 3, ["x"]], prefixes);
    expect(diagnostics.map((d) => d.message)).toEqual(["item 1: must be an issue object", "item 2: must be an issue object", "item 3: must be an issue object"]);
  });

  it("caps the diagnostics of a file that is not an issue export at all", () => {
    const raw = Array.from({ length: 500 }, (_, i) => ({ id: i }));
    const { items, diagnostics } = workItemsFromIssues(raw, prefixes);
    expect(items).toEqual([]);
    expect(diagnostics).toHaveLength(21);
    expect(diagnostics[20]!.message).toBe("480 more items are invalid");
  });

  it("warns about a number seen twice and keeps the first", () => {
    const { items, diagnostics } = workItemsFromIssues([issue({ title: "first" }), issue({ title: "second" })], prefixes);
    expect(items.map((i) => i.title)).toEqual(["first"]);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "warning", code: "issues-duplicate", message: "item 2: #1 appears more than once; the first one is used" })]);
  });

  it("treats hostile keys as data and copies nothing it does not know", () => {
    const raw: unknown = JSON.parse('[{"number":1,"title":"REQ-1","state":"open","__proto__":{"polluted":true},"constructor":{"x":1}}]');
    const { items } = workItemsFromIssues(raw, prefixes);
    expect(Object.keys(items[0]!).sort()).toEqual(["isPullRequest", "labels", "number", "requirementIds", "state", "title"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("finds only configured prefixes", () => {
    const { items } = workItemsFromIssues([issue({ body: "FOO-1 REQ-2 CR-3" })], new Set(["REQ"]));
    expect(items[0]!.requirementIds).toEqual(["REQ-2"]);
  });
});
