import { describe, expect, it } from "@jest/globals";
import { buildIndex, queryIndex, stem, suggestRequirements, tokenize } from "../../../src/domain/issues/similarity.js";

describe("tokenize", () => {
  it.each<[string, string[]]>([
    ["The system SHALL lock accounts after 5 failed logins.", ["system", "lock", "account", "after", "fail", "login"]],
    ["Lock the account for 15 minutes", ["lock", "account", "15", "minute"]],
    ["Überprüfung der Zugangsdaten — 認証に失敗", ["überprüfung", "der", "zugangsdaten", "認証に失敗"]],
    ["ＦＵＬＬＷＩＤＴＨ text", ["fullwidth", "text"]],
    ["e-mail: a@b.c, x_y", ["mail"]],
    ["it is what it is", []],
    ["", []],
  ])("%j", (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });
});

describe("stem", () => {
  it.each([
    ["locks", "lock"],
    ["locked", "lock"],
    ["locking", "lock"],
    ["logging", "log"],
    ["stopped", "stop"],
    ["installing", "install"],
    ["added", "add"],
    ["passes", "pass"],
    ["policies", "policy"],
    ["status", "status"],
    ["analysis", "analysis"],
    ["access", "access"],
    ["string", "string"],
    ["need", "need"],
    ["used", "used"],
    ["über", "über"],
  ])("%s -> %s", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe("suggestRequirements", () => {
  const candidates = [
    { id: "REQ-1", text: "Lock account after failed logins. The system shall lock a user account for 15 minutes after 5 consecutive failed login attempts." },
    { id: "REQ-2", text: "Password reset by email. The system shall send a password reset link by email within one minute." },
    { id: "REQ-3", text: "Audit log. The system shall record every login, logout and password change in the audit log." },
    { id: "REQ-4", text: "CSV export. The system shall export the user list as CSV." },
  ];

  it.each<[string, string, string[]]>([
    ["a lockout issue", "Account gets locked after too many failed login attempts", ["REQ-1", "REQ-3"]],
    ["a password reset issue", "Reset email never arrives", ["REQ-2"]],
    ["an audit issue", "Logouts are missing from the audit log", ["REQ-3"]],
    ["an export issue in other words", "Exporting users to a spreadsheet (CSV) fails", ["REQ-4", "REQ-1"]],
    ["nothing in common", "Dark mode for the settings page", []],
    ["only stop words", "it should be there", []],
    ["an empty issue", "", []],
  ])("suggests for %s", (_name, query, expected) => {
    expect(suggestRequirements(query, candidates).map((s) => s.id)).toEqual(expected);
  });

  it("scores in decreasing order, all positive, at most `limit`", () => {
    const suggestions = suggestRequirements("system user account login password email", candidates);
    expect(suggestions).toHaveLength(3);
    expect(suggestions.every((s) => s.score > 0)).toBe(true);
    expect(suggestions.map((s) => s.score)).toEqual([...suggestions.map((s) => s.score)].sort((a, b) => b - a));
    expect(suggestRequirements("system user account login password email", candidates, 1)).toEqual([suggestions[0]]);
    expect(suggestRequirements("login", candidates, 0)).toEqual([]);
  });

  it.each<[string, Array<{ id: string; text: string }>, string, string[]]>([
    ["a rare word outweighs a common one", [{ id: "REQ-1", text: "password lock" }, { id: "REQ-2", text: "password password" }, { id: "REQ-3", text: "password reset" }], "lock password", ["REQ-1", "REQ-2", "REQ-3"]],
    ["a shorter text wins at equal matches", [{ id: "REQ-1", text: "session timeout for idle users of the administration console" }, { id: "REQ-2", text: "session timeout" }], "session timeout", ["REQ-2", "REQ-1"]],
    ["ties go by ID", [{ id: "REQ-2", text: "backup" }, { id: "REQ-10", text: "backup" }, { id: "REQ-1", text: "backup" }], "backup", ["REQ-1", "REQ-10", "REQ-2"]],
    ["a repeated query word counts once", [{ id: "REQ-1", text: "alpha beta" }, { id: "REQ-2", text: "alpha gamma" }], "beta beta beta gamma", ["REQ-1", "REQ-2"]],
  ])("ranks: %s", (_name, docs, query, expected) => {
    expect(suggestRequirements(query, docs).map((s) => s.id)).toEqual(expected);
  });

  it("answers many queries from one index as one-off calls do", () => {
    const index = buildIndex(candidates);
    for (const query of ["failed login", "password email", "csv", "nothing"]) {
      expect(queryIndex(index, query)).toEqual(suggestRequirements(query, candidates));
    }
  });

  it("indexes an empty baseline", () => {
    expect(queryIndex(buildIndex([]), "login")).toEqual([]);
    expect(suggestRequirements("login", [{ id: "REQ-1", text: "" }])).toEqual([]);
  });

  it("scores 10,000 candidates and finds the one that matches", () => {
    const words = "account user session token password email report export audit log backup restore cache queue retry limit timeout alert metric dashboard".split(" ");
    const docs = Array.from({ length: 10_000 }, (_, i) => ({
      id: `REQ-${i}`,
      text: Array.from({ length: 10 }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(" ") + ` item${i}`,
    }));
    const index = buildIndex(docs);
    expect(queryIndex(index, "item4242 session")[0]?.id).toBe("REQ-4242");
    expect(queryIndex(index, "session token")).toHaveLength(3);
  });
});
