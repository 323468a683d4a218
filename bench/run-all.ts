/** `npm run bench`: every benchmark, figures printed. `BENCH_SIZES=1000,10000` runs a smaller SLA set. */
import { runReportBench } from './report-bench.ts';
import { runSlaBench } from './sla-bench.ts';

await runSlaBench();
await runReportBench();
