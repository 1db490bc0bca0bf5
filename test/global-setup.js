// CLI tests run the real binary, which runs the bundled code in dist/bundle/. Rebuild it when any source file
// is newer than the build, so that `npm test` never tests stale code (a fresh install has built already).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

export default function globalSetup() {
  const built = "dist/cli/main.js";
  const stale = !existsSync(built) || newest("src") > statSync(built).mtimeMs;
  if (stale) {
    try {
      execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
    } catch {
      // tsc still emits on type errors; `npm run typecheck` reports them. The CLI tests run what was built.
    }
  }
  // bin/reqgate.js runs the bundle (scripts/build-cli.js), built from src/ too.
  const bundle = "dist/bundle/main.js";
  if (!existsSync(bundle) || newest("src") > statSync(bundle).mtimeMs) {
    execFileSync(process.execPath, ["scripts/build-cli.js"], { stdio: "inherit" });
  }
}
