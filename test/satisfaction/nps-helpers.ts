import { loadIssuesForPeriod } from '../../src/reports/load-report-data.ts';
import { formatNps, npsReport } from '../../src/reports/nps-report.ts';
import type { Period } from '../../src/reports/report.ts';
import type { Harness } from '../support/harness.ts';

/** The NPS report over the harness's store, as `heed report --by nps` computes it. */
export async function npsReportFor(h: Harness, period: Period) {
  return npsReport(await loadIssuesForPeriod(h.heed.issues, period), period);
}

export async function npsFormat(h: Harness, period: Period): Promise<string> {
  return formatNps(await npsReportFor(h, period), period, 'table');
}
