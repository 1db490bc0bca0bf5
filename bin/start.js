#!/usr/bin/env node
// Runs the reqgate GitHub App: `npm start`, or `node bin/start.js` in the container.
//
// Environment (read by Probot): APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST,
// LOG_LEVEL, LOG_FORMAT, and GHE_HOST / GHE_PROTOCOL for GitHub Enterprise Server. Without APP_ID (and
// outside production) Probot serves its setup page from app.yml at /probot.
// reqgate's own: REQGATE_STATE_SECRET (signs the waivers kept in reqgate's comments; defaults to
// WEBHOOK_SECRET), REQGATE_BOT_LOGIN (the App's bot login; looked up with GET /app when unset),
// REDIS_URL (the durable queue shared by replicas; docs/install.md), REQGATE_RECONCILE_MINUTES (15;
// 0 turns reconciliation off), REQGATE_CONCURRENCY, REQGATE_DRAIN_MS, REQGATE_WORKER_FAIL_MS (60000: how
// long the queue worker may fail on errors other than Redis being unreachable before the replica exits 1).

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

let entry;
let server;
try {
  entry = await import("../dist/index.js");
  server = await import("../dist/server/start.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
  console.error("reqgate: dist/index.js is missing. Run `npm run build` (or `npm install`, which builds) first.");
  process.exit(1);
}

if (!process.env.APP_ID) {
  // No App yet: Probot's setup page registers one from app.yml (outside production; in production
  // Probot refuses, saying APP_ID is missing). The manifest's webhook URL is set to reqgate's path.
  // Probot's manifest points the webhook at the site root, which serves no webhooks: point it at
  // reqgate's path. And no smee.io channel unless one is configured (WEBHOOK_PROXY_URL): the App is
  // registered with this server's own URL; put a tunnel's URL in WEBHOOK_PROXY_URL to use one.
  process.env.NO_SMEE_SETUP ??= "true";
  const manifestModule = new URL("manifest-creation.js", import.meta.resolve("probot"));
  const { ManifestCreation } = await import(manifestModule.href);
  const getManifest = ManifestCreation.prototype.getManifest;
  ManifestCreation.prototype.getManifest = function (options) {
    const manifest = JSON.parse(getManifest.call(this, options));
    if (!process.env.WEBHOOK_PROXY_URL) manifest.hook_attributes = { ...manifest.hook_attributes, url: `${options.baseUrl}${process.env.WEBHOOK_PATH || "/api/github/webhooks"}` };
    return JSON.stringify(manifest);
  };
  const { run } = await import("probot");
  await run(entry.default, { Octokit: entry.ReqgateOctokit });
} else {
  let running;
  try {
    running = await server.startServer(process.env);
  } catch (error) {
    console.error(`reqgate: cannot start: ${error?.message ?? error}`);
    process.exit(1);
  }
  // Graceful shutdown: stop taking deliveries, finish the running ones, then exit.
  for (const signal of ["SIGTERM", "SIGINT"]) {
    process.once(signal, () => {
      running.log.info({ signal }, "stopping: draining deliveries");
      running.stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
  // With REDIS_URL: the worker thread died (an uncaught error, or its queue worker failed for good:
  // src/server/worker-health.ts). Stop, and exit 1 for the supervisor to restart the replica; its
  // deliveries are in Redis, taken over by another worker.
  running.failed.then((error) => {
    running.log.error({ err: error }, "worker thread stopped: the replica exits");
    running.stop().finally(() => process.exit(1));
  });
}
