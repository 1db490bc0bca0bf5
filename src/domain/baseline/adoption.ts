// `reqgate init --adopt`: the change record that makes an existing requirement set the first baseline
// (SPEC 1.2: "the first baseline of a repository is made the same way"). Pure: IDs in, file text out.
import { cmp } from "../core/diagnostic.js";
import { isIdShape } from "../requirements/ids.js";

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
  const id = nextRecordId(existingRecordIds, changePrefix);
  const dir = changesDir.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  const affects = [...new Set(ids)].sort(cmp);
  const list = affects.length === 0 ? " []\n" : `\n${affects.map((a) => `  - ${yamlScalar(a)}\n`).join("")}`;
  const text =
    `# The first baseline of this repository, written by \`reqgate init --adopt\`.\n` +
    `# 1. Complete the rationale: who approved this requirement set, when, and where it is recorded.\n` +
    `# 2. Commit this file, then run \`reqgate baseline\` to write the lock.\n` +
    `id: ${id}\n` +
    `title: Initial baseline\n` +
    `rationale: >-\n` +
    `  Adopt the existing requirement set as the first baseline. TO COMPLETE: name the review that\n` +
    `  approved it (meeting or pull request, date, approvers).\n` +
    `affects:${list}`;
  return { path: `${dir === "" ? "" : `${dir}/`}${id}.yml`, text };
}

/** IDs are plain YAML scalars; anything else is written as a quoted string, never as YAML syntax. */
function yamlScalar(value: string): string {
  return isIdShape(value) ? value : JSON.stringify(value);
}
