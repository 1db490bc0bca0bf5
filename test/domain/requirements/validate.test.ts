import { describe, expect, it } from "@jest/globals";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "../../../src/domain/core/diagnostic.js";
import { parseRequirementFile } from "../../../src/domain/requirements/parse-requirements.js";
import type { Requirement } from "../../../src/domain/requirements/requirement.js";
import { closestId } from "../../../src/domain/requirements/ids.js";
import { idSuggester, validateRequirements } from "../../../src/domain/requirements/validate.js";
import { resolvePositions } from "../../../src/domain/requirements/yaml.js";

type Spec = Partial<Omit<Requirement, "origin">> & { id: string; file?: string; at?: Array<string | number> };

function req(spec: Spec): Requirement {
  const { file = "requirements/a.yml", at = [], ...rest } = spec;
  return { title: "T", text: "The system shall.", status: "active", parents: [], tags: [], links: [], attributes: Object.create(null) as Record<string, unknown>, ...rest, origin: { file, path: at } };
}

/** One line per diagnostic: where (file and YAML path), code and text. */
function show(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.file}#${(d.path ?? []).join(".")}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
}

function validate(specs: Spec[], prefixes?: ReadonlySet<string>) {
  const result = validateRequirements(specs.map(req), prefixes ? { prefixes } : {});
  return { ...result, shown: result.diagnostics.map(show) };
}

describe("validateRequirements", () => {
  it("accepts a consistent set and indexes it by ID", () => {
    const { byId, shown } = validate([
      { id: "SYS-1" },
      { id: "REQ-1", parents: ["SYS-1"] },
      { id: "REQ-2", parents: ["SYS-1", "REQ-1"] },
      { id: "REQ-3", status: "retired", supersededBy: "REQ-2" },
      { id: "REQ-4", status: "retired" },
      { id: "REQ-5", status: "draft", parents: ["REQ-4"] },
    ]);
    expect(shown).toEqual([]);
    expect([...byId.keys()]).toEqual(["SYS-1", "REQ-1", "REQ-2", "REQ-3", "REQ-4", "REQ-5"]);
  });

  it.each<[string, Spec[], string[]]>([
    [
      "a duplicate ID, on the second and later definitions",
      [{ id: "REQ-3", file: "requirements/a.yml" }, { id: "REQ-3", file: "requirements/b.yml", at: ["requirements", 4] }, { id: "REQ-3", file: "requirements/c.yml" }],
      [
        "error duplicate-id requirements/b.yml#requirements.4.id: REQ-3 is already defined in requirements/a.yml (IDs must be unique: give one of the two requirements a new ID)",
        "error duplicate-id requirements/c.yml#id: REQ-3 is already defined in requirements/a.yml (IDs must be unique: give one of the two requirements a new ID)",
      ],
    ],
    [
      "an unknown parent with a suggestion",
      [{ id: "SYS-003" }, { id: "REQ-1", parents: ["SYS-003", "SYS-3"] }],
      ["error unknown-parent requirements/a.yml#parents.1: REQ-1 refines SYS-3, which is not defined (did you mean SYS-003?)"],
    ],
    [
      "an unknown parent with nothing close",
      [{ id: "REQ-1", parents: ["SYS-900"] }],
      ["error unknown-parent requirements/a.yml#parents.0: REQ-1 refines SYS-900, which is not defined (define SYS-900, or remove it from parents)"],
    ],
    [
      "parents the parser already reported (malformed, self)",
      [{ id: "REQ-1", parents: ["not an id", "REQ-1"] }],
      [],
    ],
    [
      "an active requirement refining a retired one",
      [{ id: "SYS-2", status: "retired", supersededBy: "SYS-7" }, { id: "SYS-7" }, { id: "REQ-5", parents: ["SYS-7", "SYS-2"] }],
      ["warning parent-not-active requirements/a.yml#parents.1: REQ-5 refines SYS-2, which is retired (SYS-2 is superseded by SYS-7: refine that instead)"],
    ],
    [
      "an active requirement refining a draft",
      [{ id: "SYS-2", status: "draft" }, { id: "REQ-5", parents: ["SYS-2"] }],
      ["warning parent-not-active requirements/a.yml#parents.0: REQ-5 refines SYS-2, which is draft (activate SYS-2, or make REQ-5 a draft too)"],
    ],
    [
      "draft and retired requirements refining inactive ones",
      [{ id: "SYS-2", status: "draft" }, { id: "REQ-5", status: "draft", parents: ["SYS-2"] }, { id: "REQ-6", status: "retired", parents: ["SYS-2"] }],
      [],
    ],
    [
      "superseded_by naming an unknown ID",
      [{ id: "REQ-077" }, { id: "REQ-1", status: "retired", supersededBy: "REQ-77" }, { id: "REQ-2", status: "retired", supersededBy: "REQ-900" }],
      [
        "error superseded-unknown requirements/a.yml#superseded_by: REQ-1 is superseded by REQ-77, which is not defined (did you mean REQ-077?)",
        "error superseded-unknown requirements/a.yml#superseded_by: REQ-2 is superseded by REQ-900, which is not defined (name the requirement that replaces it, or remove superseded_by if it was simply withdrawn)",
      ],
    ],
    [
      "superseded_by naming an unknown ID close only to the retired requirement itself",
      [{ id: "REQ-004", status: "retired", supersededBy: "REQ-404" }],
      ["error superseded-unknown requirements/a.yml#superseded_by: REQ-004 is superseded by REQ-404, which is not defined (name the requirement that replaces it, or remove superseded_by if it was simply withdrawn)"],
    ],
    [
      "superseded_by naming itself",
      [{ id: "REQ-1", status: "retired", supersededBy: "REQ-1" }],
      ["error superseded-invalid requirements/a.yml#superseded_by: REQ-1: superseded_by must name an active requirement, not REQ-1 itself (name the requirement that replaces it, or remove superseded_by)"],
    ],
    [
      "superseded_by naming a retired or draft requirement",
      [
        { id: "REQ-1", status: "retired", supersededBy: "REQ-2" },
        { id: "REQ-2", status: "retired", supersededBy: "REQ-4" },
        { id: "REQ-3", status: "retired", supersededBy: "REQ-5" },
        { id: "REQ-4" },
        { id: "REQ-5", status: "draft" },
      ],
      [
        "error superseded-invalid requirements/a.yml#superseded_by: REQ-1: superseded_by must name an active requirement; REQ-2 is retired (REQ-2 is itself superseded by REQ-4: name that instead)",
        "error superseded-invalid requirements/a.yml#superseded_by: REQ-3: superseded_by must name an active requirement; REQ-5 is draft (activate REQ-5, or name another requirement)",
      ],
    ],
    [
      "superseded_by on a requirement that is not retired (the parser's diagnostic)",
      [{ id: "REQ-1", supersededBy: "REQ-9" }],
      [],
    ],
  ])("reports %s", (_name, specs, expected) => {
    expect(validate(specs).shown).toEqual(expected);
  });

  it("keeps the first definition of a duplicate ID and names it in `related`", () => {
    const { byId, diagnostics } = validate([{ id: "REQ-3", title: "first", file: "requirements/a.yml", at: ["requirements", 1] }, { id: "REQ-3", title: "second", file: "requirements/b.yml" }]);
    expect(byId.get("REQ-3")?.title).toBe("first");
    expect(diagnostics[0]?.related).toEqual([{ file: "requirements/a.yml", line: 0, column: 0, path: ["requirements", 1, "id"] }]);
  });

  it("skips parents with unconfigured prefixes when the prefixes are given (the parser reported them)", () => {
    expect(validate([{ id: "REQ-1", parents: ["FOO-1"] }], new Set(["REQ"])).shown).toEqual([]);
    expect(validate([{ id: "REQ-1", parents: ["FOO-1"] }]).shown).toEqual(["error unknown-parent requirements/a.yml#parents.0: REQ-1 refines FOO-1, which is not defined (define FOO-1, or remove it from parents)"]);
  });

  it.each<[string, Spec[], string[]]>([
    ["two members", [{ id: "REQ-2", parents: ["REQ-1"] }, { id: "REQ-1", parents: ["REQ-2"] }], ["REQ-1#parents.0: parent cycle: REQ-1 → REQ-2 → REQ-1"]],
    [
      "three members, once, on the smallest ID",
      [{ id: "REQ-3", parents: ["REQ-1"] }, { id: "REQ-2", parents: ["SYS-1", "REQ-3"] }, { id: "REQ-1", parents: ["REQ-2"] }, { id: "SYS-1" }],
      ["REQ-1#parents.0: parent cycle: REQ-1 → REQ-2 → REQ-3 → REQ-1"],
    ],
    [
      "two separate cycles, each once",
      [{ id: "REQ-1", parents: ["REQ-2"] }, { id: "REQ-2", parents: ["REQ-1"] }, { id: "REQ-7", parents: ["REQ-8"] }, { id: "REQ-8", parents: ["REQ-7"] }, { id: "REQ-9", parents: ["REQ-7"] }],
      ["REQ-1#parents.0: parent cycle: REQ-1 → REQ-2 → REQ-1", "REQ-7#parents.0: parent cycle: REQ-7 → REQ-8 → REQ-7"],
    ],
    [
      "entangled cycles as one (shortest cycle through the smallest ID, the others named)",
      [{ id: "REQ-1", parents: ["REQ-2"] }, { id: "REQ-2", parents: ["REQ-3", "REQ-1"] }, { id: "REQ-3", parents: ["REQ-2"] }, { id: "REQ-4", parents: ["REQ-3"] }, { id: "REQ-3a", parents: [] }],
      ["REQ-1#parents.0: parent cycle: REQ-1 → REQ-2 → REQ-1; REQ-3 is caught in it too"],
    ],
    ["a self-parent, which the parser reports", [{ id: "REQ-1", parents: ["REQ-1"] }], []],
    ["a chain that is not a cycle", [{ id: "REQ-1", parents: ["REQ-2"] }, { id: "REQ-2", parents: ["REQ-3"] }, { id: "REQ-3" }], []],
  ])("reports a parent cycle: %s", (_name, specs, expected) => {
    const { diagnostics } = validate(specs);
    const cycles = diagnostics.filter((d) => d.code === "parent-cycle");
    expect(cycles.map((d) => `${(d.message.match(/^parent cycle: (\S+)/) ?? [])[1]}#${(d.path ?? []).join(".")}: ${d.message}`)).toEqual(expected);
  });

  it("names every cycle member's parent entry in `related`", () => {
    const { diagnostics } = validate([
      { id: "REQ-3", file: "c.yml", parents: ["REQ-1"] },
      { id: "REQ-2", file: "b.yml", at: ["requirements", 5], parents: ["SYS-1", "REQ-3"] },
      { id: "REQ-1", file: "a.yml", parents: ["REQ-2"] },
      { id: "SYS-1" },
    ]);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "parent-cycle",
        file: "a.yml",
        line: 0,
        column: 0,
        path: ["parents", 0],
        message: "parent cycle: REQ-1 → REQ-2 → REQ-3 → REQ-1",
        hint: "a requirement cannot refine itself through its parents: remove one of these parent links",
        related: [
          { file: "b.yml", line: 0, column: 0, path: ["requirements", 5, "parents", 1] },
          { file: "c.yml", line: 0, column: 0, path: ["parents", 0] },
        ],
      },
    ]);
  });

  it("places duplicate and cycle diagnostics on their lines once positions are resolved", () => {
    const files: Record<string, string> = {
      "requirements/a.yml": "requirements:\n  - id: REQ-1\n    title: A\n    text: The system shall A.\n    parents: [REQ-2]\n  - id: REQ-3\n    title: C\n    text: The system shall C.\n",
      "requirements/b.yml": "requirements:\n  - id: REQ-2\n    title: B\n    text: The system shall B.\n    parents:\n      - SYS-1\n      - REQ-1\n  - id: REQ-3\n    title: C again\n    text: The system shall C.\n",
    };
    const options = { prefixes: new Set(["REQ", "SYS"]), maxBytes: 65536 };
    const requirements = Object.entries(files).flatMap(([file, text]) => parseRequirementFile(file, text, options).requirements);
    const { diagnostics } = validateRequirements(requirements, options);
    const placed = resolvePositions(diagnostics, (file) => files[file]);
    expect(sortDiagnostics(placed).map(formatDiagnostic)).toEqual([
      "requirements/a.yml:5:15: error: parent cycle: REQ-1 → REQ-2 → REQ-1 (a requirement cannot refine itself through its parents: remove one of these parent links)",
      "requirements/b.yml:6:9: error: REQ-2 refines SYS-1, which is not defined (define SYS-1, or remove it from parents)",
      "requirements/b.yml:8:5: error: REQ-3 is already defined in requirements/a.yml (IDs must be unique: give one of the two requirements a new ID)",
    ]);
    expect(placed.find((d) => d.code === "duplicate-id")?.related).toEqual([{ file: "requirements/a.yml", line: 6, column: 5, path: ["requirements", 1, "id"] }]);
    expect(placed.find((d) => d.code === "parent-cycle")?.related).toEqual([{ file: "requirements/b.yml", line: 7, column: 9, path: ["requirements", 0, "parents", 1] }]);
  });

  describe("at scale (100,000 requirements)", () => {
    const N = 100_000;
    const id = (i: number) => `REQ-${i}`;

    it("walks a 100k-deep parent chain without overflowing the stack", () => {
      const chain = Array.from({ length: N }, (_, i) => req({ id: id(i), parents: i === 0 ? [] : [id(i - 1)] }));
      const { byId, diagnostics } = validateRequirements(chain);
      expect(byId.size).toBe(N);
      expect(diagnostics).toEqual([]);
    });

    it("reports a 100k-member cycle once, with a shortened message and every member related", () => {
      const ring = Array.from({ length: N }, (_, i) => req({ id: id(i), parents: [id((i + 1) % N)] }));
      const { diagnostics } = validateRequirements(ring);
      expect(diagnostics).toHaveLength(1);
      const [cycle] = diagnostics as [Diagnostic];
      expect(cycle.message).toMatch(/^parent cycle: REQ-0 → REQ-1 → .* → REQ-48 → … \(99950 more\) … → REQ-99999 → REQ-0$/);
      expect(cycle.related).toHaveLength(N - 1);
    });

    it("reports many problems in one pass (duplicates, unknown parents, a cycle)", () => {
      // A chain where every 1000th link names its parent with a stray zero (REQ-0998 for REQ-998),
      // REQ-0 closes a cycle with REQ-3, and REQ-0..REQ-9 are defined twice.
      const items = Array.from({ length: N }, (_, i) => req({ id: id(i), parents: i === 0 ? [id(3)] : i % 1000 === 999 ? [`REQ-0${i - 1}`] : [id(i - 1)] }));
      for (let i = 0; i < 10; i++) items.push(req({ id: id(i), file: "requirements/copy.yml" }));
      const { byId, diagnostics } = validateRequirements(items);
      expect(byId.size).toBe(N);
      const counts: Record<string, number> = {};
      for (const d of diagnostics) counts[d.code] = (counts[d.code] ?? 0) + 1;
      expect(counts).toEqual({ "duplicate-id": 10, "unknown-parent": 100, "parent-cycle": 1 });
      expect(diagnostics.find((d) => d.code === "parent-cycle")?.message).toBe("parent cycle: REQ-0 → REQ-3 → REQ-2 → REQ-1 → REQ-0");
      expect(diagnostics.find((d) => d.code === "unknown-parent")).toMatchObject({ message: "REQ-999 refines REQ-0998, which is not defined", hint: "did you mean REQ-998?" });
    });
  });
});

describe("idSuggester", () => {
  const known = new Map(["REQ-012", "REQ-0012", "REQ-13", "REQ-100", "SYS-3", "CR-0042"].map((id) => [id, id]));

  it.each([
    ["REQ-12", "REQ-0012"],
    ["REQ-012", "REQ-0012"],
    ["REQ-14", "REQ-13"],
    ["REQ-101", "REQ-100"],
    ["REQ_100", "REQ-100"],
    ["SYS-03", "SYS-3"],
    ["XYZ-999999", undefined],
    ["", undefined],
  ])("answers %j as closestId does: %j", (wanted, expected) => {
    expect(idSuggester(known)(wanted)).toBe(expected);
    expect(closestId(wanted, known.keys())).toBe(expected);
  });

  it("stops scanning once its budget is spent, but keeps answering zero-padding variants", () => {
    const suggest = idSuggester(known, 2 * known.size);
    expect([suggest("REQ-14"), suggest("REQ-101"), suggest("REQ-102"), suggest("SYS-003"), suggest("REQ-14")]).toEqual(["REQ-13", "REQ-100", undefined, "SYS-3", "REQ-13"]);
  });
});
