import { describe, expect, it } from 'vitest';
import type { IssueSummary } from '../../src/core/open-issues.ts';
import type { Access } from '../../src/domain/access.ts';
import { AT_RISK_MS, buildHomeModel, type HomeInputs, slaStanding } from '../../src/home/home-model.ts';
import { homePage, homePageText } from '../../src/home/home-page.ts';
import { toPlainText } from '../../src/messages/rich-text.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const STAFF = { platform: 'slack', id: 'U0STAFF1' } as const;
const OTHER = { platform: 'slack', id: 'U0STAFF2' } as const;

function summary(number: number, fields: Partial<IssueSummary> = {}): IssueSummary {
  return {
    id: `issue-${number}`,
    number,
    status: 'new',
    priority: 'normal',
    team: 'support',
    customer: { platform: 'slack', id: `U0CUST${number}`, name: `Customer ${number}` },
    openedAt: NOW - number * MINUTE,
    ...fields,
  };
}

const access = (staff: string[], managers: string[] = []): Access => ({
  staffOf: new Set(staff),
  managerOf: new Set(managers),
});

function inputs(open: IssueSummary[], who: Access, extra: Partial<HomeInputs> = {}): HomeInputs {
  return {
    person: STAFF,
    access: who,
    teams: [
      { id: 'support', name: 'Customer Support' },
      { id: 'billing', name: 'Billing' },
    ],
    open,
    now: NOW,
    period: { from: NOW - 7 * 24 * 60 * MINUTE, to: NOW + 1 },
    week: undefined,
    teamRows: [],
    recoveries: [],
    ...extra,
  };
}

describe('SLA standing', () => {
  it('is breached at or after the deadline, at risk within the hour before it, on time before that', () => {
    expect(slaStanding(NOW - 1, NOW)).toBe('breached');
    expect(slaStanding(NOW, NOW)).toBe('breached');
    expect(slaStanding(NOW + 1, NOW)).toBe('at-risk');
    expect(slaStanding(NOW + AT_RISK_MS, NOW)).toBe('at-risk');
    expect(slaStanding(NOW + AT_RISK_MS + 1, NOW)).toBe('on-time');
    expect(slaStanding(undefined, NOW)).toBe('no-deadline');
  });
});

describe('the home model', () => {
  it('lists my open issues soonest due first, with no running deadline last', () => {
    const open = [
      summary(1, { owner: STAFF, status: 'claimed', dueAt: NOW + 3 * AT_RISK_MS }),
      summary(2, { owner: STAFF, status: 'waiting' }),
      summary(3, { owner: STAFF, status: 'claimed', dueAt: NOW - MINUTE }),
      summary(4, { owner: STAFF, status: 'claimed', dueAt: NOW + 10 * MINUTE }),
      summary(5, { owner: OTHER, status: 'claimed', dueAt: NOW }),
      summary(6, { owner: STAFF, status: 'resolved' }),
    ];
    const model = buildHomeModel(inputs(open, access(['support'])));
    expect(model.audience).toBe('staff');
    expect(model.mine.items.map((i) => [i.number, i.standing])).toEqual([
      [3, 'breached'],
      [4, 'at-risk'],
      [1, 'on-time'],
      [2, 'no-deadline'],
    ]);
    expect(model.manager).toBeUndefined();
  });

  it("queues my teams' unclaimed active issues oldest first, and no other team's", () => {
    const open = [
      summary(1, { openedAt: NOW - 5 * MINUTE }),
      summary(2, { openedAt: NOW - 50 * MINUTE }),
      summary(3, { openedAt: NOW - 20 * MINUTE, team: 'billing' }),
      summary(4, { openedAt: NOW - 90 * MINUTE, owner: OTHER, status: 'claimed' }),
      summary(5, { openedAt: NOW - 30 * MINUTE }),
    ];
    const model = buildHomeModel(inputs(open, access(['support'])));
    expect(model.queue.items.map((i) => i.number)).toEqual([2, 5, 1]);
    expect(model.queue.total).toBe(3);
  });

  it('cuts long lists and says how many there are', () => {
    const open = Array.from({ length: 40 }, (_, i) => summary(i + 1));
    const page = homePage(buildHomeModel(inputs(open, access(['support']))));
    const queue = page.sections.find((s) => s.title.startsWith('Unclaimed'))!;
    expect(queue.title).toBe("Unclaimed in your teams' queue (40)");
    expect(queue.lines).toHaveLength(15);
    expect(queue.more).toBe(25);
    expect(queue.lines[0]?.button).toMatchObject({ action: 'claim', issueId: 'issue-40', label: 'Claim' });
  });

  it('gives managers per-team counts, what is late most overdue first, and load by person', () => {
    const open = [
      summary(1, { owner: STAFF, status: 'claimed', dueAt: NOW + 30 * MINUTE }),
      summary(2, { owner: OTHER, status: 'claimed', dueAt: NOW - 30 * MINUTE }),
      summary(3, { owner: OTHER, status: 'claimed', dueAt: NOW + 5 * AT_RISK_MS }),
      summary(4, { dueAt: NOW - 5 * MINUTE }),
      summary(5, { team: 'billing', dueAt: NOW - 90 * MINUTE }),
    ];
    const model = buildHomeModel(inputs(open, access(['support'], ['support'])));
    expect(model.audience).toBe('manager');
    expect(model.manager?.teams).toEqual([
      {
        id: 'support',
        name: 'Customer Support',
        row: undefined,
        open: 4,
        unclaimed: 1,
        atRisk: 1,
        breached: 2,
      },
    ]);
    expect(model.manager?.atRisk.items.map((i) => i.number)).toEqual([2, 4, 1]);
    expect(model.manager?.load.items).toEqual([
      { owner: OTHER, open: 2, atRisk: 0, breached: 1 },
      { owner: STAFF, open: 1, atRisk: 1, breached: 0 },
    ]);
  });

  it('shows someone in no team only what Heed is, whatever they own', () => {
    const open = [summary(1, { owner: STAFF, status: 'claimed' }), summary(2)];
    const model = buildHomeModel(inputs(open, access([])));
    expect(model.audience).toBe('visitor');
    expect(model.mine.total).toBe(0);
    expect(model.queue.total).toBe(0);
    const page = homePage(model);
    expect(page.sections).toEqual([]);
    expect(page.teams).toEqual([]);
    expect(toPlainText(homePageText(page))).toContain('Heed makes sure no customer is left waiting');
  });

  it('keeps customer names as customer text, never as mentions', () => {
    const open = [summary(1, { customer: { platform: 'slack', id: 'U0X', name: '<!channel>' } })];
    const page = homePage(buildHomeModel(inputs(open, access(['support']))));
    const line = page.sections[1]!.lines[0]!.text;
    expect(line).toContainEqual({ t: 'customer', v: '<!channel>' });
  });
});
