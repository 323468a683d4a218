import { Keyv } from 'keyv';
import { afterEach, describe, expect, it } from 'vitest';
import { FormRegistry } from '../../../adapters/slack/form-registry.ts';
import { silentLogger } from '../../../src/logging/logger.ts';
import { rich } from '../../../src/messages/rich-text.ts';
import type { ActionButton, OutboundMessage } from '../../../src/ports/chat-port.ts';
import { type HeedDatabase, openDatabase } from '../../../src/store/database.ts';
import { KeyvTableStore } from '../../../src/store/keyv-table-store.ts';
import { TtlKeys } from '../../../src/store/ttl-keys.ts';

const resolve: ActionButton = {
  action: 'resolve',
  issueId: 'issue-1',
  label: 'Resolve',
  form: { title: 'Resolve #1', fields: [{ name: 'summary', label: 'What fixed it?', long: true }] },
};
const claim: ActionButton = { action: 'claim', issueId: 'issue-1', label: 'Claim', style: 'primary' };
const message: OutboundMessage = { text: rich`New issue`, actions: [claim, resolve] };
const posted = { channel: 'C0TEAM01', ts: '1700000000.000100' };

const opened: HeedDatabase[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((database) => database.close()));
});

/** Two instances' registries on one store's ttl_keys table, and the table itself. */
async function twoRegistries() {
  const database = await openDatabase('memory://');
  opened.push(database);
  const keys = new TtlKeys(database);
  const registry = () =>
    new FormRegistry({
      shared: new Keyv({ store: new KeyvTableStore(keys), namespace: 'slack-forms', throwOnErrors: true }),
      logger: silentLogger(),
    });
  return { a: registry(), b: registry(), keys, database };
}

describe('the forms behind Slack buttons', () => {
  it('finds a form in memory on the instance that sent it, with no shared keyv at all', async () => {
    const forms = new FormRegistry({ logger: silentLogger() });
    forms.remember(message);
    await forms.share(posted, message);
    expect(await forms.find('resolve', 'issue-1', posted)).toEqual(resolve);
    expect(await forms.find('claim', 'issue-1', posted)).toBeUndefined();
  });

  it('writes one row per posted message with forms, and another instance finds the clicked one there', async () => {
    const { a, b, database } = await twoRegistries();
    a.remember(message);
    await a.share(posted, message);
    await a.share({ channel: 'C0TEAM01', ts: '1700000000.000200' }, { text: rich`No buttons` });
    const rows = await database.db.selectFrom('ttl_keys').select('key').execute();
    expect(rows.map((row) => row.key)).toEqual(['keyv:slack-forms:message:C0TEAM01:1700000000.000100']);
    // Only for the message clicked, the action and the issue it names.
    expect(await b.find('resolve', 'issue-1', { ...posted, ts: '1700000000.000999' })).toBeUndefined();
    expect(await b.find('resolve', 'issue-2', posted)).toBeUndefined();
    expect(await b.find('escalate', 'issue-1', posted)).toBeUndefined();
    expect(await b.find('resolve', 'issue-1', posted)).toEqual(resolve);
    // Found once, B keeps it in memory.
    await database.db.deleteFrom('ttl_keys').execute();
    expect(await b.find('resolve', 'issue-1')).toEqual(resolve);
  });

  it('reads an unreadable or foreign row as no form (the click then falls back)', async () => {
    const { b, keys } = await twoRegistries();
    const key = `keyv:slack-forms:message:${posted.channel}:${posted.ts}`;
    await keys.set(key, JSON.stringify({ value: [{ action: 'explode', issueId: 'issue-1' }] }), 60_000);
    expect(await b.find('resolve', 'issue-1', posted)).toBeUndefined();
    await keys.set(key, '{"value":[{"action":"resol', 60_000);
    expect(await b.find('resolve', 'issue-1', posted)).toBeUndefined();
  });

  it('knows where a modal was opened on either instance, and nowhere once the store does not answer', async () => {
    const { a, b, database } = await twoRegistries();
    const target = { user: 'U0STAFF1', channel: 'C0TEAM01', responseUrl: 'https://hooks.slack.test/r/1' };
    await a.openedFrom('V0001', target);
    expect(await a.takeOrigin('V0001')).toEqual(target);
    expect(await b.takeOrigin('V0001')).toEqual(target);
    expect(await b.takeOrigin('V0002')).toBeUndefined();
    expect(await b.takeOrigin(undefined)).toBeUndefined();
    await database.close();
    await b.openedFrom('V0003', target);
    expect(await a.takeOrigin('V0003')).toBeUndefined();
    expect(await b.takeOrigin('V0003')).toEqual(target);
  });
});
