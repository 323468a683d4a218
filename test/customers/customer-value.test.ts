/**
 * What a customer is worth: set by staff or imported from CSV, else their tier's; shown on the card
 * ("ARR 12k") and matched by routing and SLA rules (`value: { atLeast }`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { peopleReader } from '../../src/commands/people-reader.ts';
import { parseAmount } from '../../src/customers/amount.ts';
import { readCustomerCsv } from '../../src/customers/customer-csv.ts';
import { CustomerRepository } from '../../src/customers/customer-repository.ts';
import { customerValue, shortAmount, valueLabel, valueMatches } from '../../src/customers/customer-value.ts';
import { silentLogger } from '../../src/logging/logger.ts';
import { openDatabase } from '../../src/store/database.ts';
import { runHeed } from '../cli/run-heed.ts';
import { customerOpens, slashAs } from '../support/conversation.ts';
import { startHarness } from '../support/harness.ts';
import { REFERENCES } from '../support/references.ts';
import { IDS, testConfig, testConfigInput } from '../support/test-config.ts';

const S = IDS.slack;
const anyone = (text: string) => peopleReader(REFERENCES, 'slack').anyone(text);

describe('amounts and values (pure)', () => {
  it('reads amounts as staff write them', () => {
    expect(parseAmount('12000')).toBe(12000);
    expect(parseAmount('12,000')).toBe(12000);
    expect(parseAmount('12k')).toBe(12000);
    expect(parseAmount('1.5M')).toBe(1_500_000);
    expect(parseAmount('-5')).toBeUndefined();
    expect(parseAmount('12,00')).toBeUndefined();
    expect(parseAmount('lots')).toBeUndefined();
  });

  it("takes the customer's own value, else their tier's, and matches rules only on a known value", () => {
    const config = { tiers: [{ id: 'enterprise', value: 50_000 }] } as never;
    expect(customerValue(config, { value: 12_000, tier: 'enterprise' })).toBe(12_000);
    expect(customerValue(config, { tier: 'enterprise' })).toBe(50_000);
    expect(customerValue(config, {})).toBeUndefined();
    expect(valueMatches({ atLeast: 10_000 }, 12_000)).toBe(true);
    expect(valueMatches({ atLeast: 10_000 }, 9_999)).toBe(false);
    expect(valueMatches({ atLeast: 0 }, undefined)).toBe(false);
    expect(valueMatches(undefined, undefined)).toBe(true);
    expect([950, 12_000, 1_500_000, 2e9].map(shortAmount)).toEqual(['950', '12k', '1.5M', '2B']);
    expect(valueLabel(12_000)).toBe('ARR 12k');
  });

  it('reads a CSV, refusing each bad row with its line and reason', () => {
    const read = readCustomerCsv(
      [
        'identity,name,organisation,tier,value',
        'slack:U0DANA001,Dana Novak,BigCo,enterprise,12000',
        'slack:dana,Dana,,,',
        'discord:1600000000000000001,Lee,,,"1,500"',
        'slack:U0EVE0001,Eve,,platinum,',
        'slack:U0BOB0001,Bob,,,a lot',
        'slack:U0DANA001,Dana again,,,',
        ',Nobody,,,',
        'slack:U0ZOE0001,Zoe,,,,extra',
      ].join('\n'),
      new Set(['enterprise']),
      anyone,
    );
    expect('rows' in read && read.rows).toEqual([
      {
        line: 2,
        user: { platform: 'slack', id: 'U0DANA001' },
        name: 'Dana Novak',
        organisation: 'BigCo',
        tier: 'enterprise',
        value: 12000,
      },
      { line: 4, user: { platform: 'discord', id: '1600000000000000001' }, name: 'Lee', value: 1500 },
    ]);
    expect('refused' in read && read.refused).toEqual([
      {
        line: 3,
        reason:
          'identity "slack:dana" is not a person as <platform>:<user id>, for example slack:U0123ABC or discord:123456789012345678',
      },
      { line: 5, reason: 'tier "platinum" is not in the config (known: enterprise)' },
      { line: 6, reason: 'value "a lot" is not an amount like 12000, 12k or 1.5M' },
      { line: 7, reason: 'slack:U0DANA001 is already on line 2' },
      { line: 8, reason: 'identity is empty' },
      { line: 9, reason: '6 cells, but the header names 5 columns' },
    ]);
    expect(readCustomerCsv('name,value\nDana,1', undefined, anyone)).toMatchObject({
      problem: expect.stringContaining('must include identity'),
    });
    expect(readCustomerCsv('', undefined, anyone)).toMatchObject({
      problem: expect.stringContaining('the file is empty'),
    });
  });
});

describe('customer value in conversation', () => {
  const base = testConfigInput();
  const config = testConfig({
    routing: [{ name: 'big accounts', match: { value: { atLeast: 10_000 } }, priority: 'high' }],
    sla: {
      ...(base.sla as Record<string, unknown>),
      policies: [
        { value: { atLeast: 10_000 }, firstResponse: '30m', resolution: '1d', calendar: 'always' },
        { firstResponse: '4h', resolution: '3d', calendar: 'always' },
      ],
    },
  });

  it('lets staff set a value that the next issue is routed, promised and carded by', async () => {
    const h = await startHarness({ config });
    const before = await customerOpens(h, 'Where is my invoice?');
    expect(before.priority).toBe('normal');
    expect(await slashAs(h, S.staff, `customer <@${S.customer}> value 12k`)).toBe(
      '`slack:U0CUST01` is now worth *ARR 12k*. New issues show it on the card, and routing and SLA rules with `value: { atLeast }` use it.',
    );
    expect(await slashAs(h, S.staff, `customer <@${S.customer}>`)).toContain('*ARR 12k*');
    h.chat.clear();
    const after = await customerOpens(h, 'And another question');
    expect(after.customer.value).toBe(12_000);
    expect(after.priority).toBe('high');
    expect(after.routedBy).toBe('big accounts');
    expect(after.sla.clocks.firstResponse?.targetMs).toBe(30 * 60_000);
    expect(h.chat.sent.find((m) => m.message.card)?.message.card?.value).toBe('ARR 12k');
    expect(await slashAs(h, S.staff, `customer <@${S.customer}> value plenty`)).toContain(
      '"plenty" is not an amount',
    );
    expect(await slashAs(h, S.staff, `customer <@${S.customer}> value clear`)).toContain(
      'has no value of their own now (was ARR 12k)',
    );
    expect(await slashAs(h, S.customer, `customer <@${S.customer}> value 1M`)).toContain(
      'is for the support team',
    );
  });
});

describe('heed customers import', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'heed-customers-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the good rows, lists the refused ones with line and reason, and exits 1', async () => {
    const url = `sqlite://${path.join(dir, 'heed.sqlite')}`;
    (await openDatabase(url)).close();
    await writeFile(
      path.join(dir, 'customers.csv'),
      'identity,name,organisation,tier,value\nslack:U0DANA001,Dana Novak,BigCo,,12000\nslack:no pe,X,,,\ndiscord:1600000000000000001,Lee,,,1.5k\n',
    );
    const run = await runHeed(['customers', 'import', 'customers.csv'], {
      env: { HEED_STORE_URL: url },
      cwd: dir,
    });
    expect(run.stdout).toBe(
      'Imported 2 customers from customers.csv.\nRefused 1 row:\n  line 3: identity "slack:no pe" is not a person as <platform>:<user id>, for example slack:U0123ABC or discord:123456789012345678\n',
    );
    expect(run.code).toBe(1);
    const database = await openDatabase(url);
    const repository = new CustomerRepository(database, silentLogger());
    expect(await repository.findByIdentity({ platform: 'slack', id: 'U0DANA001' })).toMatchObject({
      name: 'Dana Novak',
      organisation: 'BigCo',
      value: 12000,
    });
    expect((await repository.findByIdentity({ platform: 'discord', id: '1600000000000000001' }))?.value).toBe(
      1500,
    );
    await database.close();
    const again = await runHeed(['customers', 'import', 'missing.csv'], {
      env: { HEED_STORE_URL: url },
      cwd: dir,
    });
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining('cannot read missing.csv') });
  });
});
