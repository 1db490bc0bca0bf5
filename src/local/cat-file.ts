// One `git cat-file --batch` process for the whole of a CLI run, fed as the engine asks: first the
// configuration at a revision, then the changed files and the locks. Requests are answered in order, so
// each `read` takes the next answers off the stream. Output is parsed as it arrives, chunk by chunk (a
// 50k-entry lock is a few MB: no buffer is copied per chunk).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError, gitEnv } from "./git.js";

export type BatchSpawner = (args: readonly string[], cwd: string) => ChildProcessWithoutNullStreams;

/** Starts git with the environment every reqgate git process gets (C locale, no prompts). */
export function spawnBatch(args: readonly string[], cwd: string): ChildProcessWithoutNullStreams {
  return spawn("git", [...args], { cwd, env: gitEnv(), windowsHide: true });
}

interface Pending {
  count: number;
  results: Array<Uint8Array | undefined>;
  resolve: (results: Array<Uint8Array | undefined>) => void;
  reject: (error: Error) => void;
}

export class CatFileBatch {
  #child: ChildProcessWithoutNullStreams | undefined;
  #pending: Pending[] = [];
  #failure: Error | undefined;
  // Parser state: a header line being collected, or a body of `#need` bytes.
  #header: Buffer[] = [];
  #body: Buffer[] = [];
  #have = 0;
  #need = -1;
  #isBlob = false;
  #stderr = "";

  constructor(
    private readonly root: string,
    private readonly spawner: BatchSpawner = spawnBatch,
  ) {}

  /** The bytes of each named object (an object ID or `<rev>:<path>`), in order; undefined when missing or not a blob. */
  read(names: readonly string[]): Promise<Array<Uint8Array | undefined>> {
    if (names.length === 0) return Promise.resolve([]);
    if (this.#failure) return Promise.reject(this.#failure);
    for (const name of names) {
      // cat-file reads one name per line: a line break would split a request in two.
      if (/[\n\r]/.test(name)) return Promise.reject(new GitError("git-failed", "a path with a line break cannot be read from git"));
    }
    const child = this.#start();
    return new Promise((resolve, reject) => {
      this.#pending.push({ count: names.length, results: [], resolve, reject });
      child.stdin.write(`${names.join("\n")}\n`);
    });
  }

  /** Ends the process (it exits when its input closes). */
  close(): void {
    this.#child?.stdin.end();
    this.#child = undefined;
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#child) return this.#child;
    const child = this.spawner(["cat-file", "--batch", "--follow-symlinks"], this.root);
    this.#child = child;
    child.stdout.on("data", (chunk: Buffer) => this.#feed(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      if (this.#stderr.length < 2000) this.#stderr += chunk.toString("utf8");
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      this.#fail(error.code === "ENOENT" ? new GitError("git-missing", "git was not found on PATH; reading a revision needs git installed") : new GitError("git-failed", `git cat-file could not be run: ${error.message}`));
    });
    child.on("close", (code) => {
      if (this.#pending.length > 0) this.#fail(new GitError("git-failed", `git cat-file ended early (exit ${code}): ${this.#stderr.split("\n")[0]?.trim() || "no message"}`));
      if (this.#child === child) this.#child = undefined;
    });
    child.stdin.on("error", () => {
      // EPIPE when git died: reported by "close" with its stderr.
    });
    return child;
  }

  #fail(error: Error): void {
    this.#failure = error;
    for (const p of this.#pending.splice(0)) p.reject(error);
  }

  #feed(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#need < 0) {
        const eol = chunk.indexOf(10, pos);
        if (eol === -1) {
          this.#header.push(chunk.subarray(pos));
          return;
        }
        this.#header.push(chunk.subarray(pos, eol));
        pos = eol + 1;
        const header = Buffer.concat(this.#header).toString("utf8");
        this.#header = [];
        this.#startRecord(header);
        continue;
      }
      const take = Math.min(this.#need - this.#have, chunk.length - pos);
      this.#body.push(chunk.subarray(pos, pos + take));
      this.#have += take;
      pos += take;
      if (this.#have === this.#need) {
        const body = this.#body.length === 1 ? this.#body[0]! : Buffer.concat(this.#body);
        // The body ends with the LF that follows the content.
        this.#deliver(this.#isBlob ? body.subarray(0, body.length - 1) : undefined);
        this.#body = [];
        this.#have = 0;
        this.#need = -1;
      }
    }
  }

  /** `<oid> <type> <size>`, `<name> missing|ambiguous`, or `symlink|dangling|loop|notdir <size>` (links git could not follow inside the repository). */
  #startRecord(header: string): void {
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      this.#deliver(undefined);
      return;
    }
    const parts = header.split(" ");
    const size = Number(parts.at(-1));
    if (!Number.isSafeInteger(size) || size < 0) {
      this.#fail(new GitError("git-failed", `unexpected output from git cat-file: ${JSON.stringify(header.slice(0, 100))}`));
      this.close();
      return;
    }
    this.#isBlob = parts.length === 3 && parts[1] === "blob";
    this.#need = size + 1;
    this.#have = 0;
  }

  #deliver(object: Uint8Array | undefined): void {
    const head = this.#pending[0];
    if (!head) return;
    head.results.push(object);
    if (head.results.length === head.count) {
      this.#pending.shift();
      head.resolve(head.results);
    }
  }
}
