#!/usr/bin/env node
// The `reqgate` command. The code is bundled into dist/bundle/ by `npm install` (prepare) or `npm run
// build` (scripts/build-cli.js): a few files to load instead of hundreds, so that it starts fast.
import { main } from "../dist/bundle/main.js";

// `reqgate report | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
