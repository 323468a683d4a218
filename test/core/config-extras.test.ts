import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.ts';
import { configProblem } from '../support/config-problem.ts';
import { testConfigInput } from '../support/test-config.ts';

/** A saved reply with `then:` as the config file writes it (an object literal with `then` reads as a thenable). */
const thenReply = (then: string) => ({ ...reply, ...Object.fromEntries([['then', then]]) });
const reply = {
  id: 'reset-2fa',
  title: 'Reset two-factor',
  text: 'Hi {customer}, done. ({ref})',
  keywords: ['2fa'],
};

describe('saved replies, NPS, customer value and retention in the config', () => {
  it('reads them, with defaults', () => {
    const config = parseConfig(
      {
        ...testConfigInput(),
        replies: [thenReply('resolve')],
        nps: { after: '3 resolved issues' },
        tiers: [{ id: 'enterprise', value: 12000 }],
        routing: [{ match: { value: { atLeast: 10000 } }, priority: 'high' }],
      },
      'test',
    );
    expect(config.replies[0]).toMatchObject({ id: 'reset-2fa', afterSending: 'resolve', keywords: ['2fa'] });
    expect(config.nps).toEqual({
      after: { resolvedIssues: 3 },
      question: expect.stringContaining('recommend'),
    });
    expect(parseConfig({ ...testConfigInput(), nps: { after: 'every 90d' } }, 'test').nps?.after).toEqual({
      everyMs: 90 * 86_400_000,
    });
    expect(config.tiers[0]?.value).toBe(12000);
    expect(config.routing[0]?.match.value).toEqual({ atLeast: 10000 });
    expect(config.retention.messages).toBe(180 * 86_400_000);
  });

  it('names the key, the problem and the fix', () => {
    const base = testConfigInput();
    expect(configProblem({ ...base, replies: [reply, reply] })).toContain(
      'replies[1].id: saved reply id "reset-2fa" is used twice',
    );
    expect(configProblem({ ...base, replies: [{ ...reply, title: 'x'.repeat(80) }] })).toContain(
      'replies[0].title: a title fits in 75 characters',
    );
    expect(configProblem({ ...base, replies: [thenReply('close')] })).toContain('replies[0].then');
    expect(configProblem({ ...base, replies: [{ ...reply, text: '' }] })).toContain('replies[0].text');
    expect(configProblem({ ...base, nps: { after: 'sometimes' } })).toContain(
      'nps.after: say when to ask: "3 resolved issues"',
    );
    expect(configProblem({ ...base, nps: { after: 'every 2h' } })).toContain('nps.after');
    expect(configProblem({ ...base, tiers: [{ id: 'gold', value: -5 }] })).toContain('tiers[0].value');
    expect(
      configProblem({ ...base, routing: [{ match: { value: { above: 5 } }, priority: 'high' }] }),
    ).toMatch(/routing\[0\]\.match\.value.*above/s);
    expect(configProblem({ ...base, retention: { messages: 'forever' } })).toContain('retention.messages');
  });
});
