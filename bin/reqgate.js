#!/usr/bin/env node
// The `reqgate` command. The code is built into dist/ by `npm install` (prepare) or `npm run build`.
import { main } from "../dist/cli/main.js";

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
