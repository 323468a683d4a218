import { describe, expect, it } from 'vitest';
import { filesOf, MESSAGES_KEPT, recordOf, withRecord } from '../../src/domain/customer-messages.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { customerDeleted, customerEdited } from '../../src/domain/message-changes.ts';
import { fixtureIssue } from '../reports/fixtures.ts';

const png = { name: 'a.png', type: 'image/png', size: 10, url: 'https://cdn.discordapp.com/a.png' };

function issueWith(...texts: string[]): Issue {
  const base = fixtureIssue({
    number: 1,
    team: 'support',
    customer: { platform: 'slack', id: 'U0CUST' },
    events: [{ at: 0, kind: 'opened', actor: { platform: 'slack', id: 'U0CUST' } }],
  });
  return {
    ...base,
    subject: texts[0] ?? '',
    messages: texts.map((text, index) =>
      recordOf({ messageId: `m${index}`, at: index, text, files: index === 0 ? [png] : [] }),
    ),
  };
}

describe('customer message records', () => {
  it('keeps the first message and the latest ones, and lists files of messages not deleted', () => {
    let records = [recordOf({ messageId: 'first', at: 0, text: 'first', files: [png] })];
    for (let n = 1; n <= MESSAGES_KEPT + 5; n++)
      records = withRecord(records, recordOf({ messageId: `m${n}`, at: n, text: `${n}` }));
    expect(records).toHaveLength(MESSAGES_KEPT);
    expect(records[0]?.id).toBe('first');
    expect(records.at(-1)?.id).toBe(`m${MESSAGES_KEPT + 5}`);
    expect(filesOf(records).files).toEqual([png]);
    expect(filesOf([{ ...records[0]!, deletedAt: 5 }]).files).toEqual([]);
  });

  it('caps the text kept and counts files beyond those listed', () => {
    const many = Array.from({ length: 13 }, (_, n) => ({ ...png, name: `${n}.png` }));
    const record = recordOf({ messageId: 'x', at: 0, text: 'y'.repeat(10_000), files: many });
    expect(record.text).toHaveLength(4_000);
    expect(record.files).toHaveLength(10);
    expect(record.moreFiles).toBe(3);
  });
});

describe('edits and deletions (pure)', () => {
  it('an edit of the first message becomes the subject; the ledger keeps the old text', () => {
    const result = customerEdited(
      issueWith('Teh export', 'more'),
      { messageId: 'm0', text: 'The export', at: 50 },
      60,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.issue.subject).toBe('The export');
    expect(result.issue.messages[0]).toMatchObject({ text: 'The export', editedAt: 50, files: [png] });
    expect(result.events).toEqual([
      expect.objectContaining({
        kind: 'edited',
        reason: 'Teh export',
        data: { messageId: 'm0', first: true, files: 1 },
      }),
    ]);
    expect(result.issue.status).toBe('claimed'); // as before the edit
  });

  it('an edit of a later message leaves the subject alone', () => {
    const result = customerEdited(issueWith('first', 'secnd'), { messageId: 'm1', text: 'second', at: 5 }, 6);
    expect(result.ok && result.issue.subject).toBe('first');
  });

  it('refuses what is no edit: the same text and files, an unknown or deleted message', () => {
    const issue = issueWith('same');
    expect(customerEdited(issue, { messageId: 'm0', text: 'same', at: 1 }, 1)).toMatchObject({
      ok: false,
      code: 'unchanged',
    });
    expect(customerEdited(issue, { messageId: 'staff', text: 'x', at: 1 }, 1)).toMatchObject({
      ok: false,
      code: 'unknown-message',
    });
    const deleted = customerDeleted(issue, 'm0', 2, 2);
    if (!deleted.ok) throw new Error('expected a deletion');
    expect(customerEdited(deleted.issue, { messageId: 'm0', text: 'x', at: 3 }, 3)).toMatchObject({
      ok: false,
    });
    expect(customerDeleted(deleted.issue, 'm0', 3, 3)).toMatchObject({ ok: false, code: 'unknown-message' });
  });

  it('a deletion marks the record and keeps its text in the ledger; nothing else moves', () => {
    const issue = { ...issueWith('call me'), status: 'new' as const };
    const result = customerDeleted(issue, 'm0', 7, 8);
    if (!result.ok) throw new Error('expected a deletion');
    expect(result.issue.messages[0]?.deletedAt).toBe(7);
    expect(result.issue.status).toBe('new');
    expect(result.issue.subject).toBe('call me');
    expect(result.events).toEqual([
      expect.objectContaining({ kind: 'deleted', reason: 'call me', data: { messageId: 'm0', first: true } }),
    ]);
  });
});
