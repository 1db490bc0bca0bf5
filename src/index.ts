// Probot entry: registers the handlers, nothing else. `bin/start.js` runs it.
import type { ApplicationFunction } from "probot";
import { onIssueComment } from "./handlers/issue-comment.js";
import { ISSUE_EVENTS, onIssue } from "./handlers/issues.js";
import { createServices, type ServiceOptions } from "./handlers/services.js";

export type { ServiceOptions } from "./handlers/services.js";
export { ReqgateOctokit } from "./github/octokit.js";

export function reqgate(options: ServiceOptions): ApplicationFunction {
  return (app) => {
    const services = createServices(app, options);
    app.on([...ISSUE_EVENTS], (context) => onIssue(context, services));
    app.on("issue_comment.created", (context) => onIssueComment(context, services));
  };
}

// The composition root is the only place that reads the environment. The state secret signs waivers
// kept in reqgate's comments; it defaults to the webhook secret (which production requires).
export default reqgate({
  stateSecret: process.env.REQGATE_STATE_SECRET || process.env.WEBHOOK_SECRET || "development",
  ...(process.env.REQGATE_BOT_LOGIN ? { botLogin: process.env.REQGATE_BOT_LOGIN } : {}),
});
