// Generates a synthetic repository for the benchmarks: N software requirements (REQ) refining N/10 system
// requirements (SYS), one requirement per file in folders of 1,000, change records that baseline them
// all, and N `@verifies` tags spread over N/100 test files. Deterministic: the same N gives the same tree.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const WORDS = "account alarm audit battery caregiver dose schedule reminder sensor patient record export login lock session timeout display report sync backup".split(" ");

function words(seed, count) {
  const out = [];
  let x = seed * 2654435761 % 4294967296;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length]);
  }
  return out.join(" ");
}

const pad = (n) => String(n).padStart(5, "0");

export function generateRepository(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  const parents = Math.max(1, Math.floor(n / 10));
  mkdirSync(join(dir, ".git"), { recursive: true }); // marks the repository root for the CLI
  mkdirSync(join(dir, ".github"), { recursive: true });
  writeFileSync(join(dir, ".github/reqgate.yml"), "requirements:\n  prefixes: [SYS, REQ]\n");

  const ids = [];
  const perFolder = new Map();
  const writeReq = (folder, id, body) => {
    const index = perFolder.get(folder) ?? 0;
    perFolder.set(folder, index + 1);
    const sub = join(dir, "requirements", folder, String(Math.floor(index / 1000)));
    if (index % 1000 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `${id}.yml`), body);
    ids.push(id);
  };
  for (let i = 1; i <= parents; i++) {
    const id = `SYS-${pad(i)}`;
    writeReq("system", id, `id: ${id}\ntitle: System ${words(i, 4)}\ntext: >\n  The system shall ${words(i + 7, 18)}.\nverification: analysis\ntags: [system]\n`);
  }
  for (let i = 1; i <= n; i++) {
    const id = `REQ-${pad(i)}`;
    const parent = `SYS-${pad(1 + (i % parents))}`;
    writeReq("software", id, `id: ${id}\ntitle: Software ${words(i, 5)}\ntext: >\n  The software shall ${words(i + 3, 20)}.\nparents: [${parent}]\nverification: test\nowner: "@acme/team-${i % 7}"\n`);
  }

  mkdirSync(join(dir, "requirements/changes"), { recursive: true });
  for (let c = 0; c * 1000 < ids.length; c++) {
    const affects = ids.slice(c * 1000, (c + 1) * 1000);
    writeFileSync(join(dir, "requirements/changes", `CR-${pad(c + 1)}.yml`), `id: CR-${pad(c + 1)}\ntitle: Initial baseline, part ${c + 1}\nrationale: Generated for the benchmark.\naffects:\n${affects.map((a) => `  - ${a}\n`).join("")}`);
  }

  mkdirSync(join(dir, "tests"), { recursive: true });
  const perFile = 100;
  for (let f = 0; f * perFile < n; f++) {
    const lines = [];
    for (let i = f * perFile + 1; i <= Math.min(n, (f + 1) * perFile); i++) {
      lines.push(`// @verifies REQ-${pad(i)}`, `test("requirement ${i}", () => {`, `  expect(run(${i})).toBe(true);`, "});", "");
    }
    writeFileSync(join(dir, "tests", `suite-${pad(f)}.test.js`), lines.join("\n"));
  }
  return { requirements: ids.length, parents, verifies: n };
}
