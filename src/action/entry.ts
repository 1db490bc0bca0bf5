// The Action's process entry, bundled into action/index.mjs (scripts/build-action.js).
import { runAction } from "./main.js";

process.exitCode = await runAction({ env: process.env, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
