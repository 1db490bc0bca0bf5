// The App as a user meets it: `bin/start.js` (what `npm start` runs) in its own process, pointed at a
// GitHub stand-in on loopback (GHE_HOST), sent a real, signed webhook. The stand-in answers like GitHub
// and checks every request against GitHub's REST description and GraphQL schema.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { issuesOpened, startStandIn, type StandIn } from "./github-stand-in.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "e2e-webhook-secret";

let github: StandIn;
let app: ChildProcess;
let appPort = 0;
let output = "";

beforeAll(async () => {
  github = await startStandIn({ botLogin: "reqgate" });
  const apiPort = github.port;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  appPort = 20_000 + Math.floor(Math.random() * 20_000);
  app = spawn(process.execPath, ["bin/start.js"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", APP_ID: "1", PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, GHE_HOST: `127.0.0.1:${apiPort}`, GHE_PROTOCOL: "http", HOST: "127.0.0.1", PORT: String(appPort), LOG_FORMAT: "json", LOG_LEVEL: "info" },
  });
  app.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  app.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  await waitFor(() => output.includes("Listening on"), "the App to listen");
});

afterAll(async () => {
  app?.kill();
  await github?.close();
});

async function waitFor(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; App output:\n${output}`);
}

/**
 * Delivers a webhook from a separate process, as GitHub would: signed with the webhook secret. Async:
 * the stand-in answers from this process's event loop while the App handles the delivery.
 */
async function deliver(event: string, payload: unknown, secret = SECRET): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  const script = `fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json", "x-github-event": process.argv[2], "x-github-delivery": "e2e-" + Date.now(), "x-hub-signature-256": process.argv[3] }, body: process.argv[4] }).then((r) => process.stdout.write(String(r.status)), () => process.stdout.write("0"))`;
  const child = spawn(process.execPath, ["-e", script, `http://127.0.0.1:${appPort}/api/github/webhooks`, event, signature, body]);
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  await new Promise((resolve) => child.on("close", resolve));
  return Number(out);
}

function opened(): Record<string, unknown> {
  return issuesOpened(readFileSync(new URL("../fixtures/webhooks/issues.opened.json", import.meta.url), "utf8"), { installation: { id: 42 } });
}

describe("npm start, a signed webhook, a GitHub stand-in", () => {
  it("refuses a webhook with a wrong signature", async () => {
    expect(await deliver("issues", opened(), "not-the-secret")).toBe(400);
    expect(github.seen).toEqual([]);
  });

  it("flags an unlinked issue with one label and one comment, asking GitHub only what it documents", async () => {
    // Probot answers when the handler is done: the throttling plugin spaces writes ~1 s apart.
    expect(await deliver("issues", opened())).toBe(200);
    await waitFor(() => github.seen.some((r) => r.url.endsWith("/issues/7/labels")) && github.comments.length === 1, "the label and the comment");
    const calls = github.seen.map((r) => `${r.method} ${r.url.replace(/\?.*$/, "")}`);
    expect(calls).toEqual(expect.arrayContaining(["POST /api/graphql", "GET /api/v3/repos/acme/widgets/contents/requirements%2Fbaseline.lock", "POST /api/v3/repos/acme/widgets/issues/7/comments", "POST /api/v3/repos/acme/widgets/issues/7/labels"]));
    expect(github.comments[0]!.body).toContain("<!-- reqgate:issue -->");
    expect(github.comments[0]!.body).toContain("`REQ-001`");
    expect(github.problems()).toEqual([]);
  });

  it("a redelivery adds no second comment", async () => {
    const before = github.seen.length;
    expect(await deliver("issues", opened())).toBe(200);
    // The redelivery reads the issue (with reqgate's comment now in it) and the lock, and writes nothing.
    expect(github.comments).toHaveLength(1);
    expect(github.seen.slice(before).filter((r) => r.method !== "GET" && r.url !== "/api/graphql")).toEqual([]);
  });
});
