// Bundles the command line (src/cli/main.ts) into dist/bundle/, which bin/reqgate.js runs. esbuild's code
// splitting follows the dispatcher's dynamic imports: `--version` loads the argument parser's chunk only,
// each command its own chunks, every dependency inside. Node then resolves and compiles a handful of
// files instead of about 250 (zod alone is 95), which was most of the CLI's start-up (bench/run.js).
// dist/bundle/meta.json says which sources each chunk holds (test/cli/startup.test.ts reads it).
// `npm run build` runs this; the tests rebuild it when a source is newer (test/global-setup.js).
import * as esbuild from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";

export const CLI_BUNDLE_DIR = "dist/bundle";

// zod re-exports its 50 translations of error messages as `z.locales` (366 KB, a quarter of the check
// chunk); reqgate uses only the English one, which zod imports directly, so the namespace is left empty.
const withoutZodLocales = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (/[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "empty" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

export async function bundleCli() {
  rmSync(CLI_BUNDLE_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { main: "src/cli/main.ts" },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outdir: CLI_BUNDLE_DIR,
    chunkNames: "chunk-[hash]",
    preserveSymlinks: true,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
    plugins: [withoutZodLocales],
    // Some dependencies are CommonJS and call require() for Node's modules.
    banner: { js: "import { createRequire as __reqgateRequire } from \"node:module\";\nconst require = __reqgateRequire(import.meta.url);" },
  });
  mkdirSync(CLI_BUNDLE_DIR, { recursive: true });
  writeFileSync(`${CLI_BUNDLE_DIR}/meta.json`, JSON.stringify(result.metafile));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await bundleCli();
}
