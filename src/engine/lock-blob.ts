// A lock's text with its parse and its trace view, each made at most once per blob: both Sources (the
// App's GitHub reads and the CLI's git reads) hand the engine locks in this shape.
import { lockTooLarge, parseLock } from "../domain/baseline/baseline.js";
import type { BaselineInfo } from "../domain/pulls/trace-check.js";
import type { LockBlob } from "./ports.js";

/** `known`: the parse of `text` at `path` made already (the CLI's full check of the working tree parsed its lock). */
export function lockBlob(text: string, known?: { path: string; result: ReturnType<typeof parseLock> }): LockBlob {
  let view: ReadonlyMap<string, BaselineInfo> | undefined | null = null;
  let parsed: { path: string; result: ReturnType<typeof parseLock> } | undefined = known;
  const parse = (path: string) => {
    if (parsed?.path !== path) parsed = { path, result: parseLock(path, text) };
    return parsed.result;
  };
  return {
    text,
    parsed: parse,
    baseline() {
      if (view === null) {
        const lock = parse(parsed?.path ?? "lock").lock;
        view = lock ? new Map(lock.entries.map((e) => [e.id, e.supersededBy !== undefined ? { status: e.status, title: e.title, supersededBy: e.supersededBy } : { status: e.status, title: e.title }])) : undefined;
      }
      return view;
    },
  };
}

/** A lock too large to read: it parses to its refusal, and has no baseline view. */
export function oversizedLock(size: number): LockBlob {
  return { text: "", parsed: (path) => ({ diagnostics: [lockTooLarge(path, size)] }), baseline: () => undefined };
}
