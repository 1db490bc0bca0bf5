// SPEC 2.3 step 4: the author and (by default) contributors cannot approve. A contributor is anyone GitHub
// names as an author (co-authors included) or the committer of one of the pull request's commits; a
// commit whose author or committer GitHub links to no account counts as the pull request author's.
import { describe, expect, it } from "@jest/globals";
import { useStrictProbot } from "../helpers/github-app.js";
import { baselineOn, changingState, HEAD, type CheckRunBody, type PullState } from "../helpers/github-pulls.js";

const app = useStrictProbot();

const AT = "2026-01-01T09:00:00Z";
/** A team that lets the author approve their own change, but not someone who contributed commits. */
const AUTHOR_MAY = "change_control:\n  allow_author: true\n  rules:\n    - name: board\n      match: ['requirements/**']\n      approvers: { users: [Codertocat, maya] }\n";

function reviewedBy(by: string, over: Partial<PullState>): PullState {
  return changingState({ config: AUTHOR_MAY, reviews: [{ id: 80, by, state: "APPROVED", commit: HEAD, at: AT }], ...over });
}

/** The `reqgate/baseline` run written for `pull_request_review.submitted`. */
function reviewed(state: PullState): Promise<CheckRunBody> {
  return baselineOn(app.probot, state, "pull_request_review.submitted");
}

describe("identity", () => {
  it("a commit whose author is not linked to a GitHub account counts as the author's own: the author cannot launder it", async () => {
    const baseline = await reviewed(reviewedBy("Codertocat", { commitIdentities: [{ authors: [null], committer: "web-flow" }] }));

    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain("Codertocat (review): pushed commits to this pull request, so cannot approve it");
  });

  it("a commit whose committer is not linked to a GitHub account counts as the author's own too", async () => {
    const baseline = await reviewed(reviewedBy("Codertocat", { commitIdentities: [{ authors: ["Codertocat"], committer: null }] }));

    expect(baseline.conclusion).toBe("action_required");
  });

  it("a commit whose committer differs from its author makes both contributors", async () => {
    // maya committed (rebased, cherry-picked) a commit authored by someone else: she contributed.
    const baseline = await reviewed(reviewedBy("maya", { commitIdentities: [{ authors: ["pat"], committer: "maya" }] }));

    expect(baseline.conclusion).toBe("action_required");
    expect(baseline.output.summary).toContain("maya (review): pushed commits to this pull request, so cannot approve it");
  });

  it("the author cannot approve by default", async () => {
    const baseline = await reviewed(changingState({ config: AUTHOR_MAY.replace("allow_author: true", "allow_author: false"), reviews: [{ id: 80, by: "Codertocat", state: "APPROVED", commit: HEAD, at: AT }] }));

    expect(baseline.output.summary).toContain("Codertocat (review): the author of the pull request cannot approve it");
  });

  it("with linked authors and GitHub's own committer, the author allowed to approve does", async () => {
    const baseline = await reviewed(reviewedBy("Codertocat", { commitIdentities: [{ authors: ["pat"], committer: "web-flow" }] }));

    expect([baseline.conclusion, baseline.output.title]).toEqual(["success", "Approved: 1 requirement change (board)"]);
  });
});
