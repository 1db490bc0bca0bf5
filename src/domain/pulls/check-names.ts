// The names of reqgate's two check runs (SPEC 2.2, 2.3): user-facing, and what branch protection requires.
export const TRACE_CHECK = "reqgate/trace";
export const BASELINE_CHECK = "reqgate/baseline";
