import { describe, expect, it } from 'vitest';
import {
  csvField,
  formatCsv,
  formatJson,
  formatReport,
  formatTable,
} from '../../src/reports/format-report.ts';
import type { Report, ReportRow } from '../../src/reports/report.ts';

const FROM = Date.parse('2026-11-02T00:00:00Z');
const TO = Date.parse('2026-11-09T00:00:00Z');

function row(group: string, overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    group,
    claimed: 0,
    resolved: 0,
    firstResponse: { count: 0, medianMs: null, p90Ms: null },
    resolution: { count: 0, medianMs: null, p90Ms: null },
    sla: { deadlines: 0, met: 0, breached: 0, attainmentPct: null },
    breaches: 0,
    apologies: { count: 0, medianDelayMs: null },
    handOffs: 0,
    reopens: 0,
    oneTouch: 0,
    csat: { rated: 0, up: 0, pct: null },
    ...overrides,
  };
}

const busy = row('ops, "tier 2"', {
  claimed: 12,
  resolved: 10,
  firstResponse: { count: 9, medianMs: 1_830_400, p90Ms: 5_400_000 },
  resolution: { count: 10, medianMs: 7_200_000, p90Ms: 93_600_000 },
  sla: { deadlines: 8, met: 7, breached: 1, attainmentPct: 87.5 },
  breaches: 1,
  apologies: { count: 1, medianDelayMs: 1_800_000 },
  handOffs: 2,
  reopens: 1,
  oneTouch: 4,
  csat: { rated: 3, up: 2, pct: 66.7 },
});
const quiet = row('support', { claimed: 1 });
const total = row('all', {
  ...busy,
  group: 'all',
  claimed: 13,
});
const REPORT: Report = {
  period: { from: FROM, to: TO },
  groupBy: 'team',
  issues: 20,
  rows: [busy, quiet],
  total,
};

describe('CSV', () => {
  it('quotes fields as RFC 4180 says', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(87.5)).toBe('87.5');
  });

  it('has a header row naming units, one row per group and the total, CRLF line ends', () => {
    const csv = formatCsv(REPORT);
    expect(csv.endsWith('\r\n')).toBe(true);
    const lines = csv.slice(0, -2).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'period_from,period_to,team,claimed,resolved,first_responses,first_response_median_seconds,first_response_p90_seconds,resolutions_timed,resolution_median_seconds,resolution_p90_seconds,sla_deadlines,sla_met,sla_breached,sla_attainment_pct,breaches,apologies,apology_delay_median_seconds,hand_offs,reopens,one_touch,fcr_pct,csat_rated,csat_up,csat_pct',
    );
    // 1,830,400 ms → 1830 s; 5.4M → 5400; 7.2M → 7200; 93.6M → 93600; 1.8M → 1800.
    expect(lines[1]).toBe(
      '2026-11-02T00:00:00.000Z,2026-11-09T00:00:00.000Z,"ops, ""tier 2""",12,10,9,1830,5400,10,7200,93600,8,7,1,87.5,1,1,1800,2,1,4,40,3,2,66.7',
    );
    // Nothing to measure → empty fields.
    expect(lines[2]).toBe(
      '2026-11-02T00:00:00.000Z,2026-11-09T00:00:00.000Z,support,1,0,0,,,0,,,0,0,0,,0,0,,0,0,0,,0,0,',
    );
    expect(lines[3]?.split(',')[2]).toBe('all');
    expect(lines.every((line) => line.split(',').length >= 25)).toBe(true);
  });

  it('names the group column after the grouping', () => {
    expect(formatCsv({ ...REPORT, groupBy: 'owner' }).split('\r\n')[0]).toContain(',owner,claimed,');
  });
});

describe('JSON', () => {
  it('has a stable shape: versioned, ISO period, rows and total with fixed key order', () => {
    const text = formatJson(REPORT);
    expect(text.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['v', 'period', 'groupBy', 'issues', 'rows', 'total']);
    expect(parsed.v).toBe(1);
    expect(parsed.period).toEqual({
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-09T00:00:00.000Z',
      fromMs: FROM,
      toMs: TO,
    });
    expect(parsed.groupBy).toBe('team');
    expect(parsed.issues).toBe(20);
    // First-contact resolution: one-touch resolutions of those resolved (4 of 10), none without resolutions.
    expect(parsed.rows).toEqual([
      { ...busy, fcrPct: 40 },
      { ...quiet, fcrPct: null },
    ]);
    expect(parsed.total).toEqual({ ...total, fcrPct: total.resolved === 0 ? null : expect.any(Number) });
    expect(Object.keys(parsed.rows[0])).toEqual([
      'group',
      'claimed',
      'resolved',
      'firstResponse',
      'resolution',
      'sla',
      'breaches',
      'apologies',
      'handOffs',
      'reopens',
      'oneTouch',
      'fcrPct',
      'csat',
    ]);
    expect(Object.keys(parsed.rows[0].firstResponse)).toEqual(['count', 'medianMs', 'p90Ms']);
    expect(parsed.rows[1].firstResponse.medianMs).toBeNull();
  });

  it('is byte-for-byte the same whatever order the report object was built in', () => {
    const reordered = JSON.parse(JSON.stringify(REPORT), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as Report;
    expect(formatJson(reordered)).toBe(formatJson(REPORT));
  });
});

describe('table', () => {
  it('aligns columns, shows durations and percentages readably, and puts the total last', () => {
    const text = formatTable(REPORT);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Heed ownership report by team, 2026-11-02 00:00 UTC to 2026-11-09 00:00 UTC (20 issues read)',
    );
    expect(lines[1]).toBe('');
    const [header, first, second, rule, last] = lines.slice(2);
    expect(header).toMatch(/^team\s+claimed\s+resolved\s+1st resp med/);
    expect(first).toMatch(
      /^ops, "tier 2"\s+12\s+10\s+30m 30s\s+1h 30m\s+2h\s+1d 2h\s+87\.5%\s+8\s+1\s+1\s+30m\s+2\s+1\s+4\s+40\.0%\s+66\.7%$/,
    );
    expect(second).toMatch(/^support\s+1\s+0\s+-\s+-\s+-\s+-\s+-\s+0\s+0\s+0\s+-\s+0\s+0\s+0\s+-\s+-$/);
    expect(rule).toMatch(/^-+( {2}-+)+$/);
    expect(last).toMatch(/^all\s+13\s/);
    // Right-aligned numbers: every row's "claimed" column ends at the same offset as its title.
    const end = header!.indexOf('claimed') + 'claimed'.length;
    for (const line of [first, second, last]) expect(line!.slice(end - 2, end).trim()).toMatch(/^\d+$/);
    expect(header!.length).toBe(rule!.length);
  });

  it('says so when nothing happened', () => {
    const empty = formatTable({ ...REPORT, rows: [], total: row('all') });
    expect(empty).toContain('(no activity in this period)');
  });

  it('formatReport picks the format', () => {
    expect(formatReport(REPORT, 'csv')).toBe(formatCsv(REPORT));
    expect(formatReport(REPORT, 'json')).toBe(formatJson(REPORT));
    expect(formatReport(REPORT, 'table')).toBe(formatTable(REPORT));
  });
});
