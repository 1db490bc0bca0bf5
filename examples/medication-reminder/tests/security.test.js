// Transport security of the apps.
import { describe, expect, it } from "@jest/globals";
import { connect } from "./support/network.js";

describe("transport", () => {
  // @verifies REQ-017
  it("refuses plain HTTP and TLS below 1.2", async () => {
    await expect(connect("http://api.example.test")).rejects.toThrow(/refused/);
    await expect(connect("https://api.example.test", { maxVersion: "TLSv1.1" })).rejects.toThrow(/protocol/);
  });

  // @verifies REQ-017
  it("refuses a certificate that does not validate", async () => {
    await expect(connect("https://self-signed.example.test")).rejects.toThrow(/certificate/);
  });
});
