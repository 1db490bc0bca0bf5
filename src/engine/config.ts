// The one configuration loader (SPEC 1.4) for every edge: the App reads the files of an `_extends`
// chain over GitHub, the CLI from the working tree or a git revision; both through `ReadConfigFile`,
// and the chain, its bounds and the merge are domain/config/load.ts's, so both edges mean the same.
import { parseConfig } from "../domain/config/config.js";
import { configChain, type ConfigBlob, type ConfigLoad, type ConfigRef, type ConfigScope, type ConfigStart } from "../domain/config/load.js";

/** Reads one file of an `_extends` chain; undefined when it does not exist. */
export type ReadConfigFile = (ref: ConfigRef) => Promise<ConfigBlob | undefined>;

/** The configuration from `first` and its `_extends` chain; no first file gives the defaults. */
export async function loadConfigChain(scope: ConfigScope, first: ConfigStart | undefined, read: ReadConfigFile): Promise<ConfigLoad> {
  if (!first) return parseConfig({});
  const chain = configChain(scope, first);
  let step = chain.next();
  while (!step.done) step = chain.next(await read(step.value));
  return step.value;
}
