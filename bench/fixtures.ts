import { parseConfig } from '../src/config/load-config.ts';
import type { Issue } from '../src/domain/issue.ts';
import { EMPTY_SLA } from '../src/sla/sla-state.ts';
import { testConfigInput } from '../test/support/test-config.ts';

/** A 24/7 policy so deadlines are simple to place: first response 4h, resolution 3d. */
export function benchConfig(firstResponse = '4h') {
  return parseConfig({
    ...testConfigInput(),
    sla: {
      policies: [{ firstResponse, resolution: '3d', calendar: 'always' }],
      escalation: [
        { after: '0m', notify: ['owner'] },
        { after: '15m', notify: ['team'], repeat: 2, every: '15m' },
        { after: '1h', notify: ['managers'] },
      ],
    },
  });
}

/** An open, claimed issue opened at `openedAt`, shaped exactly as intake creates one. */
export function makeIssue(number: number, openedAt: number): Issue {
  const id = `bench-${number}`;
  return {
    v: 1,
    id,
    number,
    status: 'claimed',
    priority: 'normal',
    team: 'support',
    customer: { platform: 'slack', id: `U0C${number}`, name: `Customer ${number}` },
    conversation: { platform: 'slack', channel: 'C0CUST01', thread: `${openedAt / 1000}.${number}` },
    subject: `Benchmark request number ${number}: the export fails with an error`,
    routedBy: 'intake channel default',
    owner: { platform: 'slack', id: 'U0STAFF1' },
    card: { platform: 'slack', channel: 'C0TEAM01', id: `card-${number}` },
    openedAt,
    updatedAt: openedAt,
    lastCustomerMessageAt: openedAt,
    notes: [],
    seenMessages: [`m-${number}`],
    messages: [],
    revision: 1,
    sla: EMPTY_SLA,
    history: [
      {
        id: `${id}.1.0`,
        at: openedAt,
        kind: 'opened',
        issueId: id,
        issueNumber: number,
        team: 'support',
        platform: 'slack',
        actor: { platform: 'slack', id: `U0C${number}` },
      },
      {
        id: `${id}.1.1`,
        at: openedAt,
        kind: 'claimed',
        issueId: id,
        issueNumber: number,
        team: 'support',
        platform: 'slack',
        actor: { platform: 'slack', id: 'U0STAFF1' },
      },
    ],
  };
}
