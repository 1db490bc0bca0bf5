// Where a repository keeps its reqgate configuration: the one name every edge reads (a leaf module, so
// that the CLI's argument parsing can use it without loading the configuration schema or glob matching).
export const CONFIG_PATH = ".github/reqgate.yml";
