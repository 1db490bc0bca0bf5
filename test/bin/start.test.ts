// bin/start.js as the container runs it (no Docker engine here: the process is what can be tested).
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "@jest/globals";
import { parse } from "yaml";

const START = new URL("../../bin/start.js", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** A clean environment: nothing from the developer's shell (e.g. a WEBHOOK_SECRET) leaks in. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...extra };
}

describe("bin/start.js production guard", () => {
  it.each([
    ["no webhook secret", {}, "refusing to start in production without a webhook secret"],
    ["an empty webhook secret", { WEBHOOK_SECRET: " " }, "refusing to start in production without a webhook secret"],
    ["the default secret", { WEBHOOK_SECRET: "development" }, 'refusing to start in production with the default webhook secret "development"'],
  ])("refuses %s, saying what to set", (_name, extra, message) => {
    const run = spawnSync(process.execPath, [START], { cwd: ROOT, env: env({ NODE_ENV: "production", ...extra }), encoding: "utf8", timeout: 15_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Set WEBHOOK_SECRET");
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

// The built app (dist/) is what the image runs; `npm test` builds it first (test/global-setup.js).
const built = existsSync(new URL("../../dist/index.js", import.meta.url));

/** `it` when dist/ is built, else skipped (named so that the lint knows it is a test). */
const itWhenBuilt = built ? it : it.skip;

describe("bin/start.js in production", () => {
  itWhenBuilt("starts with a secret, an App ID and a key: JSON logs, answers /ping", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const port = await freePort();
    const child = spawn(process.execPath, [START], {
      cwd: ROOT,
      env: env({ NODE_ENV: "production", WEBHOOK_SECRET: "s3cret", APP_ID: "1", PRIVATE_KEY: privateKey, PORT: String(port), HOST: "127.0.0.1", LOG_FORMAT: "json" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      let pong = "";
      for (let i = 0; i < 100 && pong === ""; i++) {
        await new Promise((r) => setTimeout(r, 100));
        pong = await fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.text(), () => "");
      }
      expect(pong).toBe("PONG");
      const first = output.split("\n").find((l) => l.startsWith("{"));
      expect(JSON.parse(first ?? "null")).toMatchObject({ name: "server", msg: `Listening on http://127.0.0.1:${port}`, queue: "in-process" });
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("app.yml", () => {
  it("asks for the least permissions and events the issue and pull-request features need", () => {
    const manifest = parse(readFileSync(new URL("../../app.yml", import.meta.url), "utf8")) as Record<string, unknown>;
    expect(manifest.default_events).toEqual(["issues", "issue_comment", "pull_request", "pull_request_review", "check_run", "check_suite", "merge_group", "push"]);
    expect(manifest.default_permissions).toEqual({ issues: "write", contents: "read", metadata: "read", pull_requests: "read", checks: "write", members: "read", merge_queues: "read" });
    expect(manifest.public).toBe(false);
  });
});

describe("bin/start.js without an App (the setup page)", () => {
  it("registers the App with the webhook URL reqgate serves, and starts no smee.io channel", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [START], { cwd: ROOT, env: env({ PORT: String(port), HOST: "127.0.0.1", LOG_FORMAT: "json" }), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    try {
      let page = "";
      for (let i = 0; i < 100 && page === ""; i++) {
        await new Promise((r) => setTimeout(r, 100));
        page = await fetch(`http://127.0.0.1:${port}/probot`).then((r) => (r.ok ? r.text() : ""), () => "");
      }
      // The page posts the manifest to GitHub from a form field: value='{…}'.
      const value = /name="manifest" id="manifest" value='([^']*)'/.exec(page)?.[1];
      const manifest = JSON.parse(value ?? "null") as { hook_attributes: { url: string }; name: string };
      expect(manifest.hook_attributes).toEqual({ url: `http://127.0.0.1:${port}/api/github/webhooks` });
      expect(manifest.name).toBe("reqgate");
      expect(output).not.toMatch(/smee/i);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
