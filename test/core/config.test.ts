import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load-config.ts';
import { testConfigInput } from '../support/test-config.ts';

function problem(raw: unknown): string {
  try {
    parseConfig(raw, 'heed.config.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('configuration', () => {
  it('accepts the shipped example and fills defaults', () => {
    const config = loadConfigFile('heed.config.example.yaml', process.cwd());
    expect(config.teams.map((t) => t.id)).toEqual(['support', 'billing']);
    expect(config.sla.policies[0]?.firstResponse).toBe(15 * 60_000);
    expect(config.sla.escalation[1]).toMatchObject({
      after: 15 * 60_000,
      repeat: 2,
      every: 15 * 60_000,
      when: 'not-acknowledged',
    });
    expect(config.reopenWindow).toBe(7 * 86_400_000);
    expect(config.templates.acknowledgement).toContain('{ref}');
  });

  it('accepts JSON as well as YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-config-'));
    writeFileSync(join(dir, 'heed.json'), JSON.stringify(testConfigInput()));
    expect(loadConfigFile('heed.json', dir).intake).toHaveLength(2);
  });

  it('names the key, the problem and the fix', () => {
    const base = testConfigInput();
    expect(
      problem({ ...base, intake: [{ platform: 'slack', channel: 'C0CUST01', team: 'sales' }] }),
    ).toContain('intake[0].team: unknown team "sales"; known teams: "support", "billing"');
    expect(problem({ ...base, reopenWindow: '5 minutes' })).toMatch(/reopenWindow: .*5 minutes.*30m/s);
    expect(problem({ ...base, routing: [{ match: { regex: '(' }, priority: 'high' }] })).toContain(
      'routing[0].match.regex: not a valid regular expression',
    );
    expect(problem({ ...base, routing: [{ match: { keywords: ['x'] } }] })).toContain(
      'must set "team", "priority" or both',
    );
    expect(problem({ ...base, tems: [] })).toMatch(/tems.*check the spelling/);
    const sla = base.sla as Record<string, unknown>;
    expect(
      problem({
        ...base,
        sla: {
          ...sla,
          calendars: [{ id: 'office', timezone: 'Mars/Olympus', hours: { 'mon-fri': '09:00-18:00' } }],
        },
      }),
    ).toMatch(/sla\.calendars\[0\]: .*Mars\/Olympus/);
    expect(
      problem({ ...base, sla: { ...sla, escalation: [{ after: '1h', notify: ['team'], repeat: 2 }] } }),
    ).toContain('also needs "every"');
    expect(problem({ ...base, teams: [] })).toContain('add at least one team');
  });

  it('explains a missing file and broken YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-config-'));
    expect(() => loadConfigFile('heed.config.yaml', dir)).toThrow(
      /Copy heed.config.example.yaml to heed.config.yaml/,
    );
    writeFileSync(join(dir, 'bad.yaml'), 'teams: [\n  - id: x\n');
    expect(() => loadConfigFile('bad.yaml', dir)).toThrow(/bad.yaml is not valid YAML/);
  });
});
