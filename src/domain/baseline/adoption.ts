// `reqgate init --adopt`: the change record that makes an existing requirement set the first baseline
// (SPEC 1.2: "the first baseline of a repository is made the same way"). Pure: IDs in, file text out.
import { cmp } from "../core/diagnostic.js";
import { isIdShape } from "../requirements/ids.js";
import { ADOPTION_PLACEHOLDER } from "../requirements/parse-requirements.js";

const DEFAULT_WIDTH = 4;

/**
 * The next change record ID after the highest one in use with `changePrefix` (gaps are not reused: a
 * deleted record's number may still be named in a lock or a discussion). Keeps the zero padding of
 * the highest existing ID; CR-0001 when there is none.
 */
export function nextRecordId(existingRecordIds: readonly string[], changePrefix: string): string {
  let highest = 0;
  let width = DEFAULT_WIDTH;
  const pattern = new RegExp(`^${changePrefix.replace(/[^A-Za-z0-9_]/g, "")}-([0-9]{1,9})$`);
  for (const id of existingRecordIds) {
    const digits = pattern.exec(id)?.[1];
    if (digits === undefined) continue;
    const n = Number(digits);
    if (n > highest || (n === highest && digits.length > width)) {
      highest = n;
      width = digits.length;
    }
  }
  return `${changePrefix}-${String(highest + 1).padStart(width, "0")}`;
}

/**
 * One change record whose `affects` lists `ids` (the non-draft requirements to baseline; deduplicated
 * and sorted here), with the title "Initial baseline" and a rationale for a person to complete.
 * `changesDir` is `requirements.changes` of the configuration.
 */
export function adoptionRecord(
  ids: string[],
  existingRecordIds: string[],
  changePrefix: string,
  changesDir = "requirements/changes",
): { path: string; text: string } {
  return adoptionRecords(ids, existingRecordIds, changePrefix, changesDir, Number.POSITIVE_INFINITY)[0]!;
}

/**
 * The change records of a first baseline, each under `maxBytes` (`requirements.max_file_kb`): one for
 * a set that fits, consecutive parts of the sorted IDs otherwise (100k requirements are ~1.4 MiB of
 * `affects`, over the default 512 KiB from ~35k on).
 */
export function adoptionRecords(
  ids: string[],
  existingRecordIds: string[],
  changePrefix: string,
  changesDir: string,
  maxBytes: number,
): Array<{ path: string; text: string }> {
  const dir = changesDir.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  const affects = [...new Set(ids)].sort(cmp);
  // Room for the header with the longest title, then IDs until the next one would not fit.
  const budget = maxBytes - 1024;
  const parts: string[][] = [];
  let part: string[] = [];
  let size = 0;
  for (const id of affects) {
    const line = `  - ${yamlScalar(id)}\n`;
    if (part.length > 0 && size + line.length > budget) {
      parts.push(part);
      part = [];
      size = 0;
    }
    part.push(line);
    size += line.length;
  }
  parts.push(part);
  const used = [...existingRecordIds];
  return parts.map((lines, i) => {
    const id = nextRecordId(used, changePrefix);
    used.push(id);
    const title = parts.length === 1 ? "Initial baseline" : `Initial baseline, part ${i + 1} of ${parts.length}`;
    const list = lines.length === 0 ? " []\n" : `\n${lines.join("")}`;
    const text =
      `# The first baseline of this repository, written by \`reqgate init --adopt\`.\n` +
      `# 1. Complete the rationale: who approved this requirement set, when, and where it is recorded.\n` +
      `# 2. Commit this file, then run \`reqgate baseline\` to write the lock.\n` +
      `id: ${id}\n` +
      `title: ${title}\n` +
      `rationale: >-\n` +
      `  Adopt the existing requirement set as the first baseline. ${ADOPTION_PLACEHOLDER} name the review that\n` +
      `  approved it (meeting or pull request, date, approvers).\n` +
      `affects:${list}`;
    return { path: `${dir === "" ? "" : `${dir}/`}${id}.yml`, text };
  });
}

/** IDs are plain YAML scalars; anything else is written as a quoted string, never as YAML syntax. */
function yamlScalar(value: string): string {
  return isIdShape(value) ? value : JSON.stringify(value);
}
