/** `npm run bench`: every benchmark, figures printed. `BENCH_SIZES=1000,10000` runs a smaller SLA set. */
import { runDashboardBench } from './dashboard-bench.ts';
import { runHomeBench } from './home-bench.ts';
import { runReportBench } from './report-bench.ts';
import { runSlaBench } from './sla-bench.ts';
import { runSlackHttpBench } from './slack-http-bench.ts';
import { runStartUpBench } from './start-up.ts';

await runSlackHttpBench();
await runSlaBench();
await runReportBench();
await runHomeBench();
await runDashboardBench();
await runStartUpBench();
