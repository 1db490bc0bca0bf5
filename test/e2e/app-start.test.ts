// The App as a user meets it: `bin/start.js` (what `npm start` runs) in its own process, pointed at a
// GitHub stand-in on loopback (GHE_HOST), sent a real, signed webhook. The stand-in answers like GitHub
// and checks every request against GitHub's REST description and GraphQL schema.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { renderLock } from "../../src/domain/baseline/baseline.js";
import { contractProblems } from "../support/github-contract.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SECRET = "e2e-webhook-secret";

interface Seen {
  method: string;
  url: string;
  body: string;
}

const seen: Seen[] = [];
const labels = new Set<string>();
const comments: Array<{ fullDatabaseId: string; body: string; author: { __typename: string; login: string } }> = [];
const lock = renderLock({
  applied: ["CR-0001"],
  entries: [{ id: "REQ-001", title: "Offer a dark colour scheme on the settings page", status: "active", path: "requirements/REQ-001.yml", fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" }],
});

function answer(req: IncomingMessage, body: string): { status: number; data: unknown; headers?: Record<string, string> } {
  const path = (req.url ?? "").replace(/^\/api\/v3/, "");
  if (req.method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
    return { status: 201, data: { token: "ghs_e2e", expires_at: new Date(Date.now() + 3_600_000).toISOString(), permissions: {} } };
  }
  if (req.method === "GET" && path === "/app") return { status: 200, data: { id: 1, slug: "reqgate", name: "reqgate" } };
  if (req.method === "POST" && req.url === "/api/graphql") {
    const { query } = JSON.parse(body) as { query: string };
    if (query.includes("reqgateIssue")) {
      return {
        status: 200,
        data: {
          data: {
            repository: {
              config: null,
              issue: { title: "Dark mode", body: "Please add a dark colour scheme to the settings page.", state: "OPEN", author: { __typename: "User", login: "octocat" }, labels: { nodes: [...labels].map((name) => ({ name })) }, comments: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: comments } },
            },
            ownerDefaults: null,
          },
        },
      };
    }
  }
  if (req.method === "GET" && path.startsWith("/repos/acme/widgets/contents/requirements%2Fbaseline.lock")) {
    return { status: 200, data: lock, headers: { "content-type": "application/vnd.github.raw", etag: '"lock-1"' } };
  }
  if (req.method === "POST" && path === "/repos/acme/widgets/labels") return { status: 201, data: { name: "needs-requirement" } };
  if (req.method === "POST" && path === "/repos/acme/widgets/issues/7/labels") {
    for (const name of (JSON.parse(body) as { labels: string[] }).labels) labels.add(name);
    return { status: 200, data: [...labels].map((name) => ({ name })) };
  }
  if (req.method === "POST" && path === "/repos/acme/widgets/issues/7/comments") {
    comments.push({ fullDatabaseId: "901", body: (JSON.parse(body) as { body: string }).body, author: { __typename: "Bot", login: "reqgate" } });
    return { status: 201, data: { id: 901 } };
  }
  return { status: 404, data: { message: "Not Found" } };
}

let server: Server;
let app: ChildProcess;
let appPort = 0;
let output = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      if (process.env.E2E_TRACE) process.stderr.write(`${Date.now() % 100000} ${req.method} ${req.url}\n`);
      const { status, data, headers } = answer(req, body);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof data === "string" ? data : JSON.stringify(data));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const apiPort = (server.address() as AddressInfo).port;
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
  await new Promise((resolve) => server?.close(resolve));
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

function issuesOpened(): Record<string, unknown> {
  const payload = JSON.parse(readFileSync(new URL("../fixtures/webhooks/issues.opened.json", import.meta.url), "utf8")) as Record<string, Record<string, unknown>>;
  payload.repository = { ...payload.repository, name: "widgets", full_name: "acme/widgets", owner: { ...(payload.repository!.owner as object), login: "acme" } };
  payload.issue = { ...payload.issue, number: 7, title: "Dark mode", body: "Please add a dark colour scheme to the settings page." };
  payload.installation = { id: 42 };
  return payload;
}

describe("npm start, a signed webhook, a GitHub stand-in", () => {
  it("refuses a webhook with a wrong signature", async () => {
    expect(await deliver("issues", issuesOpened(), "not-the-secret")).toBe(400);
    expect(seen).toEqual([]);
  });

  it("flags an unlinked issue with one label and one comment, asking GitHub only what it documents", async () => {
    // Probot answers when the handler is done: the throttling plugin spaces writes ~1 s apart.
    expect(await deliver("issues", issuesOpened())).toBe(200);
    await waitFor(() => seen.some((r) => r.url.endsWith("/issues/7/labels")) && comments.length === 1, "the label and the comment");
    const calls = seen.map((r) => `${r.method} ${r.url.replace(/\?.*$/, "")}`);
    expect(calls).toEqual(expect.arrayContaining(["POST /api/graphql", "GET /api/v3/repos/acme/widgets/contents/requirements%2Fbaseline.lock", "POST /api/v3/repos/acme/widgets/issues/7/comments", "POST /api/v3/repos/acme/widgets/issues/7/labels"]));
    expect(comments[0]!.body).toContain("<!-- reqgate:issue -->");
    expect(comments[0]!.body).toContain("`REQ-001`");
    const problems = seen.flatMap((r) => contractProblems({ method: r.method, url: `http://127.0.0.1${r.url.replace(/^\/api\/graphql/, "/graphql")}`, ...(r.body ? { body: r.body } : {}) }));
    expect(problems).toEqual([]);
  });

  it("a redelivery adds no second comment", async () => {
    const before = seen.length;
    expect(await deliver("issues", issuesOpened())).toBe(200);
    // The redelivery reads the issue (with reqgate's comment now in it) and the lock, and writes nothing.
    expect(comments).toHaveLength(1);
    expect(seen.slice(before).filter((r) => r.method !== "GET" && r.url !== "/api/graphql")).toEqual([]);
  });
});
