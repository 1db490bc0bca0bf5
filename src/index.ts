// Probot entry: registers the handlers, nothing else. `bin/start.js` runs it.
import type { ApplicationFunction } from "probot";
import { CHECK_RUN_EVENTS, onCheckRun } from "./handlers/check-run.js";
import { CHECK_SUITE_EVENTS, onCheckSuite } from "./handlers/check-suite.js";
import { ISSUE_COMMENT_EVENTS, onIssueComment } from "./handlers/issue-comment.js";
import { ISSUE_EVENTS, onIssue } from "./handlers/issues.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onPullRequest, onPullRequestClosed, PULL_REQUEST_EVENTS } from "./handlers/pull-request.js";
import { onReview, REVIEW_EVENTS } from "./handlers/pull-request-review.js";
import { onPush } from "./handlers/push.js";
import { DASHBOARD_EVENTS, onDashboardEvent } from "./handlers/dashboard.js";
import { createServices, type ServiceOptions } from "./app/services.js";
import { stateSecretFrom } from "./app/state-secret.js";

export type { ServiceOptions } from "./app/services.js";
export { ReqgateOctokit } from "./github/octokit.js";

export function reqgate(options: ServiceOptions, now: () => string = () => new Date().toISOString()): ApplicationFunction {
  return (app) => {
    const services = createServices(app, options);
    app.on([...ISSUE_EVENTS], (context) => onIssue(context, services));
    app.on([...ISSUE_COMMENT_EVENTS], (context) => onIssueComment(context, services));
    app.on([...PULL_REQUEST_EVENTS], (context) => onPullRequest(context, services));
    app.on("pull_request.closed", (context) => onPullRequestClosed(context, services));
    app.on([...REVIEW_EVENTS], (context) => onReview(context, services));
    app.on([...CHECK_RUN_EVENTS], (context) => onCheckRun(context, services, now));
    app.on([...CHECK_SUITE_EVENTS], (context) => onCheckSuite(context, services));
    app.on("merge_group.checks_requested", (context) => onMergeGroup(context, services));
    app.on("push", (context) => onPush(context, services));
    app.on([...DASHBOARD_EVENTS], (context) => onDashboardEvent(context, services));
  };
}

// The composition root is the only place that reads the environment (and the clock, for the time of an
// "Approve" press). The state secret signs waivers kept in reqgate's comments; it defaults to the
// webhook secret (which production requires), and is generated per process when neither is set (so
// replicas sharing a queue must configure one).
export function serviceOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): ServiceOptions {
  const appId = Number(env.APP_ID);
  const secret = stateSecretFrom(env);
  return {
    stateSecret: secret.secret,
    ...(secret.generated ? { ephemeralSecret: true } : {}),
    ...(env.REQGATE_BOT_LOGIN ? { botLogin: env.REQGATE_BOT_LOGIN } : {}),
    ...(Number.isSafeInteger(appId) && appId > 0 ? { appId } : {}),
    // Events of one repository within a minute give one dashboard update.
    dashboard: { delayMs: 60_000 },
  };
}

export default reqgate(serviceOptionsFromEnv(process.env));
