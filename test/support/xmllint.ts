// Validation against the OMG ReqIF 1.2 schema with the real xmllint (Debian's libxml2-utils), offline:
// test/fixtures/reqif-schema has every imported schema at a relative path. Not skipped when xmllint is
// missing: a ReqIF file that was never validated must not pass as valid.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REQIF_SCHEMA = resolve("test/fixtures/reqif-schema/reqif.xsd");

export function xmllint(text: string): { status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "reqgate-xmllint-"));
  try {
    const file = join(dir, "out.reqif");
    writeFileSync(file, text);
    const r = spawnSync("xmllint", ["--noout", "--nonet", "--schema", REQIF_SCHEMA, file], { encoding: "utf8", timeout: 60_000 });
    if (r.error) throw new Error(`xmllint could not run (${r.error.message}): install it with apt-get install libxml2-utils`);
    return { status: r.status, stderr: r.stderr.replaceAll(file, "out.reqif") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
