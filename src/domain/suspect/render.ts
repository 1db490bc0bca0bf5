// The words of suspect work (SPEC 2.5): the section of an issue's reqgate comment, and the note in a
// pull request's `reqgate/trace` check. Requirement texts are user text: escaped, one line each.
import { joinFirst } from "../core/lists.js";
import { escapeInline, inlineCode } from "../core/markdown.js";
import type { SuspectMark, SuspectState } from "./suspect.js";

const KIND_WORDS: Record<SuspectMark["kind"], string> = {
  modified: "was modified",
  "status-changed": "changed in status",
  retired: "was retired",
  removed: "was removed from the baseline",
};

/** One line naming the move: requirement, change record, commit. */
export function describeMove(m: SuspectMark): string {
  const by = m.change !== undefined ? ` by change record ${inlineCode(m.change)}` : "";
  const successor = m.kind === "retired" && m.supersededBy !== undefined ? `; its successor is ${inlineCode(m.supersededBy)}` : "";
  return `${inlineCode(m.id)} ${KIND_WORDS[m.kind]}${by} (commit ${inlineCode(m.commit.slice(0, 7))})${successor}`;
}

function beforeAfter(m: SuspectMark): string[] {
  const lines: string[] = [];
  if (m.before !== undefined) lines.push(`  - Before: ${escapeInline(m.before, 1000)}`);
  if (m.after !== undefined) lines.push(`  - After: ${escapeInline(m.after, 1000)}`);
  return lines;
}

/** The suspect section of an issue's comment; empty when nothing is suspect and nothing was reviewed. */
export function renderSuspectSection(state: SuspectState, label: string): string[] {
  const lines: string[] = [];
  if (state.marks.length > 0) {
    lines.push(
      `### ⚠️ Suspect: ${state.marks.length === 1 ? "a requirement" : `${state.marks.length} requirements`} this issue builds on changed`,
      "",
      "This work was planned against content that no longer holds. Check it against the current requirement:",
      "",
    );
    for (const m of state.marks) lines.push(`- ${describeMove(m)}`, ...beforeAfter(m));
    lines.push(
      "",
      `To clear the ${inlineCode(label, 50)} flag: once the work matches the current requirement, someone with write access replies \`/reqgate reviewed\`; or edit this issue so that it points at the current requirement (for a retired one, reference its successor instead).`,
    );
  }
  if (state.reviewed.length > 0) {
    const shown = state.reviewed.slice(-5).map((r) => `${inlineCode(r.id)} by ${escapeInline(r.by, 100)} on ${escapeInline(r.at.slice(0, 10), 10)}${r.how === "edited" ? " (edited)" : ""}`);
    lines.push(...(lines.length > 0 ? [""] : []), `<sub>Reviewed after a baseline move: ${shown.join(", ")}.</sub>`);
  }
  return lines;
}

/** The note at the top of a suspect pull request's trace summary. */
export function renderSuspectNote(state: SuspectState): string[] {
  if (state.marks.length === 0) return [];
  const lines = ["**Suspect:** a requirement this pull request references changed after the work started:", ""];
  for (const m of state.marks) lines.push(`- ${describeMove(m)}`, ...beforeAfter(m));
  lines.push("", "Check the change against the current requirement; someone with write access then replies `/reqgate reviewed` on this pull request.", "");
  return lines;
}

/** The trace title of a suspect pull request whose trace would otherwise pass. */
export function suspectTitle(state: SuspectState): string {
  const ids = state.marks.map((m) => m.id);
  return `Suspect: ${joinFirst(ids, 3)} changed since this work started; review with /reqgate reviewed`;
}
