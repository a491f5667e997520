/** Defaults and bounds of the response comparator, in one place. */

/** Response headers compared when the rules name none: only the media type decides how a body is read. */
export const COMPARED_HEADERS: readonly string[] = ["content-type"];
/**
 * Nesting depth up to which JSON is compared field by field. Deeper subtrees are compared as whole
 * values (rules do not apply there) and reported as one `value` difference, so a hostile body cannot
 * exhaust the stack.
 */
export const MAX_COMPARE_DEPTH = 100;
/** At most this many differences are reported per comparison; the walk stops there (a broken candidate can differ everywhere). */
export const MAX_DIFFERENCES = 100;
/** A value in a Difference is JSON-encoded and cut to this many characters (with "…" at the end). */
export const VALUE_PREVIEW_CHARS = 300;
/**
 * Arrays of equal length up to this size that differ by position are checked for being a permutation
 * (kind `order`); the check is quadratic, so longer arrays report their positional differences.
 */
export const ORDER_CHECK_MAX_LENGTH = 64;
/** A body is decoded (gzip, deflate, br) to at most this many bytes; a larger one is compared raw (decompression bombs). */
export const MAX_DECODED_BODY_BYTES = 16 * 1_048_576;
/**
 * Diffy's relative threshold: a field is a regression only when its old-vs-new difference rate exceeds
 * its old-vs-old (noise) rate by more than this percentage of the noise rate.
 */
export const NOISE_RELATIVE_PERCENT = 20;
/**
 * Diffy's absolute threshold: …and by more than this many percentage points (0.03 = 3 requests in
 * 10,000), so a field that rarely differs at all is not flagged on a handful of requests.
 */
export const NOISE_ABSOLUTE_POINTS = 0.03;
/** Noise samples (two answers of the same side compared) a field needs before its learnt noise counts (see isLearntNoise). */
export const NOISE_MIN_SAMPLE = 20;
/** Path-matcher states cached per compiled rules (their number is bounded by the patterns; this is a safety net). */
export const MATCHER_CACHE_LIMIT = 1_024;
