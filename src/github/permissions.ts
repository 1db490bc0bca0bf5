// A person's permission on a repository, from GitHub at the time of the command (never the payload's
// author_association, which reports private organisation members as CONTRIBUTOR). Fails closed: any
// error other than "not a collaborator" is "unknown", and an unknown permission refuses the command.
import type { ProbotOctokit } from "probot";
import type { ActorPermission } from "../domain/approvals/commands.js";
import { PERMISSIONS, type Permission } from "../domain/config/config.js";
import { isHttpError } from "./conditional.js";

export interface PermissionResponse {
  permission?: string;
  role_name?: string;
  user?: { permissions?: Partial<Record<"admin" | "maintain" | "push" | "triage" | "pull", boolean>> } | null;
}

/**
 * The repository role from GET …/collaborators/{username}/permission. `permission` alone folds
 * maintain into write and triage into read, so the role name comes first, then the user's permission
 * flags (custom roles have their own names), then the folded value.
 */
export function permissionFromResponse(data: PermissionResponse): Permission | "none" {
  if (data.role_name !== undefined && (PERMISSIONS as readonly string[]).includes(data.role_name)) return data.role_name as Permission;
  const flags = data.user?.permissions;
  if (flags) {
    if (flags.admin) return "admin";
    if (flags.maintain) return "maintain";
    if (flags.push) return "write";
    if (flags.triage) return "triage";
    if (flags.pull) return "read";
    return "none";
  }
  switch (data.permission) {
    case "admin":
      return "admin";
    case "write":
      return "write";
    case "read":
      return "read";
    default:
      return "none";
  }
}

export async function permissionOf(octokit: ProbotOctokit, owner: string, repo: string, username: string): Promise<ActorPermission> {
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { owner, repo, username });
    return permissionFromResponse(data);
  } catch (error) {
    if (isHttpError(error, 404)) return "none";
    return "unknown";
  }
}

/**
 * Whether `username` is an active member of `team` ("org/slug"), from GitHub at evaluation time
 * (GET /orgs/{org}/teams/{team_slug}/memberships/{username}; needs the `members: read` permission).
 * A pending invitation is no membership; 404 means not a member (or the team is not visible);
 * any other error fails closed.
 */
export async function teamMembership(octokit: ProbotOctokit, team: string, username: string): Promise<boolean | "error"> {
  const slash = team.indexOf("/");
  if (slash <= 0) return "error";
  try {
    const { data } = await octokit.request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org: team.slice(0, slash), team_slug: team.slice(slash + 1), username });
    return (data as { state?: string }).state === "active";
  } catch (error) {
    if (isHttpError(error, 404)) return false;
    return "error";
  }
}
