// The size bounds of every input the engine reads, in one place: a Source refuses a larger file before
// reading it, and the parsers refuse it again (a Source may not know the size in advance).
// Requirement files and change records are bounded by `requirements.max_file_kb` of the configuration.

/** `.github/reqgate.yml`. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** The baseline lock: ~210 bytes per requirement (100k requirements: 20.7 MB), so room for ~160k. */
export const MAX_LOCK_BYTES = 32 * 1024 * 1024;
/** A file searched for `@verifies` lines. */
export const MAX_EVIDENCE_BYTES = 4 * 1024 * 1024;
