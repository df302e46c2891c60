/** `--quick` (or BENCH_QUICK=1): fewer rounds and sizes, for a run of well under a minute per scenario. */
export const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
