import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile } from '../../src/config/load-config.ts';
import { configProblem } from '../support/config-problem.ts';
import { testConfigInput } from '../support/test-config.ts';

describe('configuration', () => {
  it('accepts the shipped example and fills defaults', () => {
    const config = loadConfigFile('heed.config.example.yaml', process.cwd());
    expect(config.teams.map((t) => t.id)).toEqual(['support', 'billing']);
    expect(config.sla.policies[0]?.firstResponse).toBe(15 * 60_000);
    expect(config.sla.escalation.levels[1]).toMatchObject({
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
      configProblem({ ...base, intake: [{ platform: 'slack', channel: 'C0CUST01', team: 'sales' }] }),
    ).toContain('intake[0].team: unknown team "sales"; known teams: "support", "billing"');
    expect(configProblem({ ...base, reopenWindow: '5 minutes' })).toMatch(/reopenWindow: .*5 minutes.*30m/s);
    expect(configProblem({ ...base, routing: [{ match: { regex: '(' }, priority: 'high' }] })).toContain(
      'routing[0].match.regex: not a valid regular expression',
    );
    expect(configProblem({ ...base, routing: [{ match: { keywords: ['x'] } }] })).toContain(
      'must set "team", "priority" or both',
    );
    expect(configProblem({ ...base, tems: [] })).toMatch(/tems.*check the spelling/);
    const sla = base.sla as Record<string, unknown>;
    expect(
      configProblem({
        ...base,
        sla: {
          ...sla,
          calendars: [{ id: 'office', timezone: 'Mars/Olympus', hours: { 'mon-fri': '09:00-18:00' } }],
        },
      }),
    ).toMatch(/sla\.calendars\[0\]: .*Mars\/Olympus/);
    expect(
      configProblem({ ...base, sla: { ...sla, escalation: [{ after: '1h', notify: ['team'], repeat: 2 }] } }),
    ).toContain('also needs "every"');
    expect(configProblem({ ...base, teams: [] })).toContain('add at least one team');
  });

  it('explains a missing file and broken YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-config-'));
    expect(() => loadConfigFile('heed.config.yaml', dir)).toThrow(
      /Copy heed.config.example.yaml to heed.config.yaml/,
    );
    writeFileSync(join(dir, 'bad.yaml'), 'teams: [\n  - id: x\n');
    expect(() => loadConfigFile('bad.yaml', dir)).toThrow(/bad.yaml is not valid YAML/);
  });

  it('says an empty file is empty, not "expected object, received null"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-config-'));
    writeFileSync(join(dir, 'heed.config.yaml'), '# nothing yet\n');
    expect(() => loadConfigFile('heed.config.yaml', dir)).toThrow(
      'heed.config.yaml is empty. Copy heed.config.example.yaml to it',
    );
  });

  it('tells an unquoted Discord id to be quoted, and a missing key to be added', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heed-config-'));
    const example = readFileSync('heed.config.example.yaml', 'utf8');
    expect(example).toContain('channel: "1100000000000000001"');
    writeFileSync(
      join(dir, 'long.yaml'),
      example.replace('channel: "1100000000000000001"', 'channel: 1100000000000000001'),
    );
    const long = messageOf(() => loadConfigFile('long.yaml', dir));
    expect(long).toContain('teams[0].discord.channel');
    expect(long).toContain('Discord ids go in quotes');
    expect(long).not.toContain('this key is required');
    writeFileSync(
      join(dir, 'short.yaml'),
      example.replace('channel: "1100000000000000001"', 'channel: 12345'),
    );
    expect(messageOf(() => loadConfigFile('short.yaml', dir))).toContain('(write it in quotes: "12345")');
    writeFileSync(join(dir, 'missing.yaml'), example.replace('channel: "1100000000000000001"', 'name: x'));
    expect(messageOf(() => loadConfigFile('missing.yaml', dir))).toMatch(
      /teams\[0\]\.discord\.channel: .*\(this key is required\)/,
    );
  });
});

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}
