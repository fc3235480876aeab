// The order of two report times (`notAfter`, `notBefore`: checks/expiry.ts `iso`, toISOString
// without ".000"), by UTF-16 code units instead of String.prototype.localeCompare. The answer is
// the same for these strings (ASCII digits and - : . T Z in fixed places; test/core/time-order.test.ts
// compares both), but the first localeCompare of a process loads ICU's collator: ~6 ms of the
// CLI's start-up (docs/performance.md, "The CLI's start-up").
export function compareTimes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
