// Reading one working-tree file with a bound: refused by type and size before any byte is read (a FIFO,
// a device such as /dev/zero, a 2 GB sparse file), and never more than the bound read after that (a file
// that grows while read, or a /proc-like file that reports size 0). Files are read synchronously through
// one reused buffer (measured: the thread pool is 3-5x slower for many small files), which is returned
// to its small size after every large file, whatever happened while reading. A file the directory
// listing already gave as regular (readListedFile) skips the fstat: its size is asked only at the bound,
// so a huge one costs one bound's worth of reading before the same refusal; a FIFO or a directory put
// in its place since the listing is refused by type all the same.
import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { diagnostic, type Diagnostic } from "../domain/core/diagnostic.js";

export type BoundedRead = { kind: "file"; content: string | Uint8Array } | { kind: "refused"; diagnostic: Diagnostic };

const SMALL = 64 * 1024;
let scratch = Buffer.allocUnsafe(SMALL);

/**
 * The content of the file at `absPath` (`file`: its repository-relative name, for the diagnostic), or a
 * refusal when it is not a regular file or is larger than `maxBytes`. `hint` says how to get under the
 * limit. Throws only what opening or reading throws (permissions, a vanished file).
 */
export function readBounded(absPath: string, file: string, maxBytes: number, hint: string): BoundedRead {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  const fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    return refusal(stat, file, maxBytes, hint) ?? readOpen(fd, file, maxBytes, hint, stat.size);
  } finally {
    release(fd);
  }
}

/**
 * readBounded for a file that the directory listing gave as a regular file (not a link), with the same
 * results: the type is the listing's, and fstat is asked only when the read says something may be off
 * (over the bound, empty, or failed), for readBounded's finding. O_NOFOLLOW: a link put in its place
 * since the listing is not followed here but read by readBounded, with its checks. No fstat and no Stats
 * object per file (its four Dates are built eagerly).
 */
export function readListedFile(absPath: string, file: string, maxBytes: number, hint: string): BoundedRead {
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") return readBounded(absPath, file, maxBytes, hint);
    throw error;
  }
  try {
    let read: BoundedRead;
    try {
      read = readOpen(fd, file, maxBytes, hint, -1);
    } catch (error) {
      // A directory put in the file's place (EISDIR), a FIFO with a writer and nothing written (EAGAIN).
      const refused = refusal(fstatSync(fd), file, maxBytes, hint);
      if (refused) return refused;
      throw error;
    }
    if (read.kind === "file" && read.content.length > 0) return read;
    // Over the bound, or empty: a FIFO put in the file's place since the listing reads as empty (no
    // writer), and must be refused by its type, not taken for an emptied file.
    return refusal(fstatSync(fd), file, maxBytes, hint) ?? read;
  } finally {
    release(fd);
  }
}

/** readBounded's refusal by what fstat says (not a regular file, over the bound); undefined when neither. */
function refusal(stat: Stats, file: string, maxBytes: number, hint: string): BoundedRead | undefined {
  if (!stat.isFile()) {
    return refuse(file, "not-a-file", `${describeType(stat)}, not a regular file: it is not read`, "keep only regular files (or symbolic links to them) under the configured paths");
  }
  if (stat.size > maxBytes) return refuse(file, "file-too-large", `the file is ${formatSize(stat.size)}, over the ${formatSize(maxBytes)} limit`, hint);
  return undefined;
}

/** Closes `fd`, and (in `finally`: a read that failed half-way must not leave the next file a stale, oversized buffer) shrinks the scratch buffer. */
function release(fd: number): void {
  closeSync(fd);
  if (scratch.length > 1024 * 1024) scratch = Buffer.allocUnsafe(SMALL);
}

/** Reads the open `fd` to its end, never more than `maxBytes` + 1 bytes; `size`: fstat's, or -1 when not asked. */
function readOpen(fd: number, file: string, maxBytes: number, hint: string, size: number): BoundedRead {
  let length = 0;
  for (;;) {
    if (length === scratch.length) {
      if (length > maxBytes) break;
      const bigger = Buffer.allocUnsafe(Math.min(scratch.length * 2, maxBytes + 1));
      scratch.copy(bigger, 0, 0, length);
      scratch = bigger;
    }
    const want = scratch.length - length;
    const n = readSync(fd, scratch, length, want, null);
    if (n === 0) break;
    length += n;
    // A short read that ends at the size fstat gave is the end of the file: no second read to see 0
    // (a file that grew reads past that size and goes on to its end; one that shrank reads on to 0).
    if (n < want && length === size) break;
  }
  if (length > maxBytes) return refuse(file, "file-too-large", `the file is over the ${formatSize(maxBytes)} limit (it grew while read)`, hint);
  const bytes = scratch.subarray(0, length);
  // Decoded here, straight from the scratch buffer: a string is smaller than a Buffer per file, and the
  // engine would decode it anyway. Bytes that are not UTF-8 stay bytes (copied), for the engine to report.
  return { kind: "file", content: isUtf8(bytes) ? bytes.toString("utf8") : Buffer.from(bytes) };
}

function refuse(file: string, code: string, message: string, hint: string): BoundedRead {
  return { kind: "refused", diagnostic: diagnostic({ code, file, message, hint }) };
}

function describeType(stat: Stats): string {
  if (stat.isFIFO()) return "a named pipe (FIFO)";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isSocket()) return "a socket";
  if (stat.isDirectory()) return "a directory";
  return "a special file";
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
