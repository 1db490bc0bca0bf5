// A trace graph (../trace-graph.ts) as Mermaid source: GitHub renders it in Markdown, and the HTML report
// shows it in a `<pre class="mermaid">` block (no script is fetched: a reader renders it with their own
// Mermaid, or pastes it into the Mermaid live editor).
//
// Labels come from users' files. Inside a quoted Mermaid label only letters, digits and a few plain
// punctuation marks are kept as they are; everything else (quotes, brackets, `<`, `#`, `;`, backticks,
// `%`) becomes a Mermaid entity code `#NNN;`, so a title cannot end the label, open an HTML tag in
// Mermaid's HTML labels, start a Markdown string, or close the Markdown code fence.
import type { TraceGraph } from "../trace-graph.js";
import { oneLine } from "./report-common.js";

const LABEL_MAX = 60;
const SAFE = /[\p{L}\p{N} .,:_\-/+=@!?']/u;

/** Text for a quoted Mermaid label: one line, at most 60 characters, everything unsafe as `#NNN;`. */
export function mermaidLabel(text: string, max = LABEL_MAX): string {
  const chars = [...oneLine(text).trim()];
  const cut = chars.length > max ? [...chars.slice(0, max - 1), "…"] : chars;
  return cut.map((c) => (SAFE.test(c) || c === "…" ? c : `#${c.codePointAt(0)!};`)).join("");
}

const STYLES = [
  "classDef gap fill:#f8d7da,stroke:#cf222e",
  "classDef baselined fill:#d4edda,stroke:#1a7f37",
  "classDef active fill:#fff3cd,stroke:#9a6700",
  "classDef draft fill:#eeeeee,stroke:#59636e,stroke-dasharray:3 3",
  "classDef retired fill:#eeeeee,stroke:#9a6700",
  "classDef open fill:#ddf4ff,stroke:#0969da",
  "classDef closed fill:#fbefff,stroke:#8250df",
  "classDef ev-passed fill:#d4edda,stroke:#1a7f37",
  "classDef ev-failed fill:#f8d7da,stroke:#cf222e",
  "classDef ev-tagged fill:#f6f8fa,stroke:#59636e",
  "classDef ev-skipped fill:#fff3cd,stroke:#9a6700",
  "classDef ev-not-run fill:#fff3cd,stroke:#9a6700",
];

/** The Mermaid source (no fence), one statement a line. */
export function renderMermaid(graph: TraceGraph): string {
  const lines = ["graph LR"];
  const shape = { requirement: ["[", "]"], issue: ["([", "])"], evidence: ["[/", "/]"] } as const;
  const used = new Set<string>();
  for (const n of graph.nodes) {
    const [open, close] = shape[n.kind];
    // Class names of letters and underscores only: `ev-passed` becomes `ev_passed`.
    const style = n.style.replace(/-/g, "_").replace(/[^a-z_]/g, "");
    used.add(style);
    lines.push(`  ${n.key}${open}"${mermaidLabel(n.label)}"${close}:::${style}`);
  }
  for (const e of graph.edges) lines.push(`  ${e.from} --> ${e.to}`);
  for (const s of STYLES) {
    const name = s.split(" ")[1]!.replace(/-/g, "_");
    if (used.has(name)) lines.push(`  classDef ${name} ${s.split(" ")[2]!}`);
  }
  return lines.join("\n");
}

/** "Left out (the graph shows at most 120 nodes): 3 requirements, 12 issues." or undefined when complete. */
export function describeOmitted(graph: TraceGraph): string | undefined {
  const o = graph.omitted;
  const parts: string[] = [];
  if (o.requirements) parts.push(`${o.requirements} requirement${o.requirements === 1 ? "" : "s"}`);
  if (o.issues) parts.push(`${o.issues} issue${o.issues === 1 ? "" : "s"}`);
  if (o.evidence) parts.push(`${o.evidence} piece${o.evidence === 1 ? "" : "s"} of evidence`);
  if (o.edges) parts.push(`${o.edges} link${o.edges === 1 ? "" : "s"}`);
  if (parts.length === 0) return undefined;
  return `Left out of the graph (it shows at most ${graph.limits.nodes} nodes and ${graph.limits.edges} links): ${parts.join(", ")}. The tables list everything; a deeper requirement as the root shows its part in full.`;
}

/** The graph as a Markdown block: a fenced `mermaid` block and the note of what was left out. */
export function mermaidMarkdown(graph: TraceGraph): string[] {
  const out = ["```mermaid", renderMermaid(graph), "```"];
  const note = describeOmitted(graph);
  if (note) out.push("", `_${note}_`);
  return out;
}
