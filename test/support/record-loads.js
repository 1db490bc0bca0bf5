// `node --import ./test/support/record-loads.js …` appends the URL of every module the process
// resolves through the ES module loader (our code, and every package our code imports) to the file
// named by RECORD_LOADS, one a line: how a test sees what a command loads without timing it.
import { register } from "node:module";

register("./record-loads-hooks.js", import.meta.url, { data: { file: process.env.RECORD_LOADS } });
