// Small figures helpers for the benchmark.

/** The q-quantile (0..1) of a list of numbers, nearest-rank. */
function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

const median = (values) => quantile(values, 0.5);

/** Milliseconds since `start` (a `process.hrtime.bigint()` value), as a float. */
const since = (start) => Number(process.hrtime.bigint() - start) / 1e6;

const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

module.exports = { quantile, median, since, round };
