// `.reqifz`: ReqIF's exchange archive (a zip holding one or more .reqif files and their attachments), the
// form DOORS and Polarion hand over. Unzipped in memory with fflate, never onto the disk, so an entry
// named `../x.reqif` reaches no folder; it is noted and not read all the same (no tool writes one).
//
// Bounded against zip bombs by what is really decompressed, not by the sizes the archive declares
// (which a hostile archive can lie about): the archive is fed to fflate's streaming Unzip in small
// slices, each entry's output counted as it comes, and the read stops at the first bound passed.
import { Unzip, UnzipInflate, zipSync } from "fflate";
import { diagnostic, type Diagnostic } from "../core/diagnostic.js";
import type { ConversionNote, ImportResult } from "./imported.js";
import { MAX_REQIF_BYTES, readReqif, type ReqifReadOptions } from "./reqif-read.js";

export interface ReqifzLimits {
  /** Entries in the archive, attachments included. */
  entries: number;
  /** Decompressed bytes of one .reqif entry. */
  entryBytes: number;
  /** Decompressed bytes of all .reqif entries together. */
  totalBytes: number;
}

/** A .reqifz is no bigger a job than one .reqif: its .reqif entries together are held to the same bound. */
export const REQIFZ_LIMITS: ReqifzLimits = { entries: 10_000, entryBytes: MAX_REQIF_BYTES, totalBytes: MAX_REQIF_BYTES };

/** Compressed bytes fed to the decoder at a time: deflate expands at most ~1,032:1, so ≤ 64 MiB per slice. */
const SLICE = 64 * 1024;

export interface ReqifzEntry {
  name: string;
  content: Uint8Array;
}

/** The .reqif entries of an archive, with notes on what was left out (attachments, unsafe names). */
export function unpackReqifz(file: string, bytes: Uint8Array, limits: ReqifzLimits = REQIFZ_LIMITS): { entries: ReqifzEntry[]; notes: ConversionNote[]; errors: Diagnostic[] } {
  const notes: ConversionNote[] = [];
  const fail = (message: string, hint: string) => ({ entries: [], notes: [], errors: [diagnostic({ code: "reqifz-invalid", file, message, hint })] });
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
    const head = new TextDecoder().decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, "").trimStart();
    if (head.startsWith("<")) return fail("the file is not a zip archive but XML text", "a plain ReqIF file: import it as FILE.reqif (rename it), or give the .reqifz archive the tool exported");
    return fail("the file is not a zip archive (a .reqifz is a zip file holding .reqif files)", "export the module again as ReqIF archive (.reqifz), or give the .reqif file");
  }
  const entries: ReqifzEntry[] = [];
  let count = 0;
  let total = 0;
  let refusal: Diagnostic | undefined;
  const refuse = (message: string, hint: string) => {
    refusal ??= diagnostic({ code: "reqifz-too-large", file, message, hint });
  };
  const unzip = new Unzip((entry) => {
    if (refusal) return;
    if (++count > limits.entries) {
      refuse(`the archive has more than ${limits.entries} entries`, "a ReqIF archive holds a few .reqif files and their attachments: export the module again, or split it");
      return;
    }
    const name = entry.name;
    if (name.endsWith("/")) return; // a folder
    if (unsafeName(name)) {
      notes.push({ kind: "lost", file, line: 0, element: `archive entry "${name}"`, reason: "its name is an absolute path or climbs out with `..`: not read" });
      return;
    }
    if (!/\.reqif$/i.test(name)) {
      notes.push({ kind: "lost", file, line: 0, element: `archive entry "${name}"`, reason: "an attachment (not a .reqif file): reqgate's requirement files carry no attachments, so it is not imported" });
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let failed = false;
    entry.ondata = (error, chunk, final) => {
      if (failed || refusal) return;
      if (error) {
        failed = true;
        refusal ??= diagnostic({ code: "reqifz-invalid", file, message: `the archive entry "${name}" cannot be decompressed (${error.message})`, hint: "the archive is damaged: export it again" });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limits.entryBytes) {
        failed = true;
        refuse(`the archive entry "${name}" is over ${formatMiB(limits.entryBytes)} once decompressed`, "import a smaller export, or split it");
        entry.terminate();
        return;
      }
      if (total > limits.totalBytes) {
        failed = true;
        refuse(`the archive's .reqif entries are over ${formatMiB(limits.totalBytes)} together once decompressed`, "import a smaller export, or split it");
        entry.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) entries.push({ name, content: concat(chunks, size) });
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !refusal; at += SLICE) unzip.push(bytes.subarray(at, at + SLICE), at + SLICE >= bytes.length);
  } catch (error) {
    return fail(`the zip archive is damaged or cut short (${(error as Error).message})`, "export the archive again");
  }
  if (refusal) return { entries: [], notes: [], errors: [refusal] };
  if (entries.length === 0) return fail("the archive holds no .reqif file", "give the archive the tool exported (it holds one .reqif file per module)");
  return { entries, notes, errors: [] };
}

/** Every .reqif of the archive, as `import reqif` reads one; an ID in two entries is kept from the first. */
export function readReqifz(file: string, bytes: Uint8Array, options: ReqifReadOptions = {}, limits: ReqifzLimits = REQIFZ_LIMITS): ImportResult {
  const unpacked = unpackReqifz(file, bytes, limits);
  if (unpacked.errors.length > 0) return { requirements: [], notes: [], errors: unpacked.errors };
  const result: ImportResult = { requirements: [], notes: [...unpacked.notes], errors: [] };
  const from = new Map<string, string>();
  for (const entry of unpacked.entries) {
    const shown = `${file}!/${entry.name}`;
    const read = readReqif(shown, entry.content, options);
    result.errors.push(...read.errors);
    result.notes.push(...read.notes);
    for (const r of read.requirements) {
      const first = from.get(r.id);
      if (first !== undefined) {
        result.notes.push({ kind: "lost", file: shown, line: 0, element: r.id, reason: `${first} holds ${r.id} already: not imported from this entry` });
        continue;
      }
      from.set(r.id, shown);
      result.requirements.push(r);
    }
  }
  return result;
}

/** One .reqif as a .reqifz (deflated; `modified`: the entry's time, so the same input gives the same bytes). */
export function packReqifz(entryName: string, text: string, modified: Date): Uint8Array {
  return zipSync({ [entryName]: [new TextEncoder().encode(text), { level: 6, mtime: modified }] });
}

function unsafeName(name: string): boolean {
  const parts = name.replace(/\\/g, "/").split("/");
  return name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name) || parts.includes("..");
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
