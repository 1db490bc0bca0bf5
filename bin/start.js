#!/usr/bin/env node
// Runs the reqgate GitHub App: `npm start`, or `node bin/start.js` in the container.
//
// Environment (read by Probot): APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
// LOG_LEVEL, LOG_FORMAT, and GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server. Without APP_ID (and
// outside production) Probot serves its setup page from app.yml at /probot.
// reqgate's own: REQGATE_STATE_SECRET (signs the waivers kept in reqgate's comments; defaults to
// WEBHOOK_SECRET) and REQGATE_BOT_LOGIN (the App's bot login; looked up with GET /app when unset).

const DEFAULT_SECRET = "development";

/** Why the App must not start with this environment, or undefined when it may. */
export function productionProblem(env) {
  if (env.NODE_ENV !== "production") return undefined;
  const secret = env.WEBHOOK_SECRET;
  if (secret === undefined || secret.trim() === "") {
    return "reqgate: refusing to start in production without a webhook secret.\n" +
      "Set WEBHOOK_SECRET to the webhook secret of your GitHub App (Settings > Developer settings > GitHub Apps > your App > Webhook secret).";
  }
  if (secret === DEFAULT_SECRET) {
    return `reqgate: refusing to start in production with the default webhook secret "${DEFAULT_SECRET}".\n` +
      "Set WEBHOOK_SECRET to a long random value, and the same value as the webhook secret of your GitHub App.";
  }
  return undefined;
}

const problem = productionProblem(process.env);
if (problem !== undefined) {
  console.error(problem);
  process.exit(1);
}

const { run } = await import("probot");
let entry;
try {
  entry = await import("../dist/index.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error("reqgate: dist/index.js is missing. Run `npm run build` (or `npm install`, which builds) first.");
  process.exit(1);
}
await run(entry.default, { Octokit: entry.ReqgateOctokit });
