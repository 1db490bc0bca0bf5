import { describe, expect, it } from "@jest/globals";
import { MARKER, readHiddenAtStart, readHiddenLast, repliedTo, replyMarker, writeHidden } from "../../../src/domain/core/hidden-data.js";

describe("writeHidden", () => {
  it("writes a bare marker and a marker with a JSON payload", () => {
    expect(writeHidden(MARKER.issue)).toBe("<!-- reqgate:issue -->");
    expect(writeHidden(MARKER.approvals, { comments: [], buttons: [] })).toBe('<!-- reqgate:approvals {"comments":[],"buttons":[]} -->');
  });

  it("escapes what could end the comment early, and the payload reads back whole", () => {
    const data = { reason: "--> <!-- @x #1 & more" };
    const block = writeHidden(MARKER.state, data);
    expect(block).toBe('<!-- reqgate:state {"reason":"--\\u003e \\u003c!-- @x #1 \\u0026 more"} -->');
    expect(readHiddenLast(`text\n${block}\nmore`, MARKER.state)).toEqual(data);
  });
});

describe("readHiddenAtStart", () => {
  it("reads only a record at the very start (user text further down cannot forge one)", () => {
    expect(readHiddenAtStart('<!-- reqgate:waiver {"by":"amy"} -->\nrest', MARKER.waiver)).toEqual({ by: "amy" });
    expect(readHiddenAtStart('shown text\n<!-- reqgate:waiver {"by":"mallory"} -->', MARKER.waiver)).toBeUndefined();
    expect(readHiddenAtStart('<!-- reqgate:approvals {"by":"amy"} -->', MARKER.waiver)).toBeUndefined();
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["not JSON", "<!-- reqgate:waiver {oops -->"],
    ["unterminated", '<!-- reqgate:waiver {"a":1}'],
  ])("reads nothing from %s", (_name, text) => {
    expect(readHiddenAtStart(text, MARKER.waiver)).toBeUndefined();
  });
});

describe("readHiddenLast", () => {
  it("reads the last record of that name", () => {
    expect(readHiddenLast('<!-- reqgate:state {"v":1} -->\n<!-- reqgate:state {"v":2} -->', MARKER.state)).toEqual({ v: 2 });
  });

  it.each([
    ["missing", "no block here"],
    ["not JSON", "<!-- reqgate:state {oops -->"],
    ["unterminated", '<!-- reqgate:state {"a":1}'],
  ])("reads nothing when the block is %s", (_name, body) => {
    expect(readHiddenLast(body, MARKER.state)).toBeUndefined();
  });
});

describe("reply markers", () => {
  it("marks a reply with the command comment it answers, and reads it back from the first line only", () => {
    expect(replyMarker(42)).toBe("<!-- reqgate:reply 42 -->");
    expect(repliedTo("<!-- reqgate:reply 42 -->\n- refused")).toBe(42);
    expect(repliedTo("quoted:\n<!-- reqgate:reply 42 -->")).toBeUndefined();
    expect(repliedTo("<!-- reqgate:reply abc -->")).toBeUndefined();
  });
});
