// A GitHub stand-in on loopback for the end-to-end tests that run reqgate in its own process (the App,
// the Action): it answers the few requests an issue evaluation makes as GitHub would, records every
// request, and `problems()` checks them against GitHub's REST description and GraphQL schema.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { renderLock } from "../../src/domain/baseline/baseline.js";
import { contractProblems } from "../support/github-contract.js";

export interface Seen {
  method: string;
  url: string;
  body: string;
  authorization: string;
}

export interface StandIn {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  seen: Seen[];
  labels: Set<string>;
  comments: Array<{ fullDatabaseId: string; body: string; author: { __typename: string; login: string } }>;
  /** While set, the comment POST is recorded at once but answered only when the promise settles. */
  hold?: Promise<void> | undefined;
  /** Requests that GitHub's description does not allow. */
  problems(): string[];
  close(): Promise<void>;
}

const LOCK = renderLock({
  applied: ["CR-0001"],
  entries: [{ id: "REQ-001", title: "Offer a dark colour scheme on the settings page", status: "active", path: "requirements/REQ-001.yml", fingerprint: `sha256:${"a".repeat(64)}`, change: "CR-0001" }],
});

/** `botLogin`: the GraphQL login of the bot whose comments the stand-in stores (no `[bot]`). */
export async function startStandIn(options: { botLogin: string }): Promise<StandIn> {
  const seen: Seen[] = [];
  const labels = new Set<string>();
  const comments: StandIn["comments"] = [];
  // Assigned once listening (its origin needs the port); the handler reads its `hold`.
  // eslint-disable-next-line prefer-const
  let standIn: StandIn;

  function answer(req: IncomingMessage, body: string): { status: number; data: unknown; headers?: Record<string, string> } {
    const path = (req.url ?? "").replace(/^\/api\/v3/, "");
    if (req.headers.authorization === "token ghs_revoked") return { status: 401, data: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" } };
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
      return { status: 200, data: LOCK, headers: { "content-type": "application/vnd.github.raw", etag: '"lock-1"' } };
    }
    if (req.method === "POST" && path === "/repos/acme/widgets/labels") return { status: 201, data: { name: "needs-requirement" } };
    if (req.method === "POST" && path === "/repos/acme/widgets/issues/7/labels") {
      for (const name of (JSON.parse(body) as { labels: string[] }).labels) labels.add(name);
      return { status: 200, data: [...labels].map((name) => ({ name })) };
    }
    if (req.method === "POST" && path === "/repos/acme/widgets/issues/7/comments") {
      comments.push({ fullDatabaseId: "901", body: (JSON.parse(body) as { body: string }).body, author: { __typename: "Bot", login: options.botLogin } });
      return { status: 201, data: { id: 901 } };
    }
    return { status: 404, data: { message: "Not Found" } };
  }

  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => void respond());
    async function respond(): Promise<void> {
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, authorization: req.headers.authorization ?? "" });
      if (process.env.E2E_TRACE) process.stderr.write(`${Date.now() % 100000} ${req.method} ${req.url}\n`);
      const { status, data, headers } = answer(req, body);
      if (standIn.hold && req.method === "POST" && /\/comments$/.test(req.url ?? "")) await standIn.hold;
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(typeof data === "string" ? data : JSON.stringify(data));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  standIn = {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    labels,
    comments,
    problems: () => seen.flatMap((r) => contractProblems({ method: r.method, url: `http://127.0.0.1${r.url.replace(/^\/api\/graphql/, "/graphql")}`, ...(r.body ? { body: r.body } : {}) })),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return standIn;
}

/** The issues.opened example payload, for issue 7 of acme/widgets, as the stand-in serves it. */
export function issuesOpened(fixture: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const payload = JSON.parse(fixture) as Record<string, Record<string, unknown>>;
  payload.repository = { ...payload.repository, name: "widgets", full_name: "acme/widgets", owner: { ...(payload.repository!.owner as object), login: "acme" } };
  payload.issue = { ...payload.issue, number: 7, title: "Dark mode", body: "Please add a dark colour scheme to the settings page." };
  return { ...payload, ...extra };
}
