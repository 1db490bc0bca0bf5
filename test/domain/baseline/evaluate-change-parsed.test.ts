// evaluateChange with locks the caller parsed already (the App parses each lock version once): the
// same result as parsing them here.
import { describe, expect, it } from "@jest/globals";
import { parseLock } from "../../../src/domain/baseline/baseline.js";
import { DEFAULT_CONFIG } from "../../../src/domain/config/config.js";
import { evaluateChange } from "../../../src/domain/baseline/evaluate-change.js";
import { BASE_LOCK, CR2, LOCK, REQ1, requirementChange } from "../../helpers/github-pulls.js";

describe("evaluateChange with pre-parsed locks", () => {
  it("gives the same evaluation, and leaves the parsed locks as they were", () => {
    const { head, headLock } = requirementChange();
    const input = {
      config: DEFAULT_CONFIG,
      requirementFiles: [{ path: "requirements/REQ-001.yml", base: REQ1, head }],
      recordFiles: [{ path: "requirements/changes/CR-0002.yml", head: CR2 }],
    };
    const base = parseLock(LOCK, BASE_LOCK);
    const headParsed = parseLock(LOCK, headLock);
    const before = JSON.stringify([base, headParsed]);
    const plain = evaluateChange({ ...input, baseLock: { path: LOCK, text: BASE_LOCK }, headLock: { path: LOCK, text: headLock } });
    const parsed = evaluateChange({ ...input, baseLock: { path: LOCK, text: BASE_LOCK, parsed: base }, headLock: { path: LOCK, text: headLock, parsed: headParsed } });
    expect(parsed).toEqual(plain);
    expect(parsed.lock.state).toBe("current");
    expect(JSON.stringify([base, headParsed])).toBe(before);
  });
});
