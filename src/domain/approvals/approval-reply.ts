// The reply to a `/reqgate approve` that does not count (SPEC 2.4: a refused command gets a short reply
// that says why and who may do it). Whether an approval counts is decided by the evaluation of the
// change (approvals.ts), so the reply is written from its result. User text is escaped.
import { describeApprovers, type ApprovalResult } from "./approvals.js";
import { escapeInline } from "../core/markdown.js";
import { replyMarker } from "../core/hidden-data.js";

/** Undefined when `login`'s approval comment counts for every rule it was looked at for (or there is no rule). */
export function renderApprovalReply(commentId: number, login: string, approvals: ApprovalResult): string | undefined {
  const key = login.toLowerCase();
  const lines: string[] = [];
  for (const r of approvals.rules) {
    const refusal = r.refused.find((x) => x.login.toLowerCase() === key && x.via === "comment");
    if (!refusal) continue;
    lines.push(`- ${escapeInline(r.rule.name, 100)}: ${escapeInline(refusal.reason, 300)}. It may be approved by ${escapeInline(describeApprovers(r.rule), 300)}.`);
  }
  if (lines.length === 0) return undefined;
  return [replyMarker(commentId), `\`/reqgate approve\` by ${escapeInline(login, 100)} does not count:`, "", ...lines].join("\n");
}
