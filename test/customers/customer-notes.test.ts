import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.ts';
import { cardOf, customerSays, D, DAY, MINUTE, people, S, slash, subcommand } from './customer-story.ts';

describe('customer notes and /heed customer', () => {
  it('keeps notes on the person across issues and shows them with their profile', async () => {
    const h = await startHarness();
    const first = await customerSays(h, 'The API returns 429 all the time', {
      author: { id: S.customer, name: 'Dana Customer', organisation: 'BigCo', teamId: S.bigcoTeam },
    });

    h.clock.advance(5 * MINUTE);
    expect(await slash(h, people.staff, `note <@${S.customer}|dana> Prefers e-mail over calls`)).toBe(
      `Note added to the profile of Dana Customer (\`slack:${S.customer}\`; staff only). It shows in \`/heed customer\` and on their next issues' cards.`,
    );
    h.clock.advance(MINUTE);
    // From Discord, a Slack customer is named explicitly.
    expect(
      await subcommand(h, people.discordStaff, 'note', {
        customer: `slack:${S.customer}`,
        text: 'Renewal in December, be nice',
      }),
    ).toContain('Note added to the profile of Dana Customer');

    // An issue note is still an issue note, and stays off the profile.
    expect(await slash(h, people.staff, 'note #1 Checked the rate limiter logs')).toContain(
      'Note added to *#1*',
    );
    // So is a note written inside the issue's thread without a reference.
    expect(
      await slash(h, people.staff, 'note Looks like the burst limit', {
        channel: S.customerChannel,
        thread: first.conversation.thread!,
      }),
    ).toContain('Note added to *#1*');
    expect((await h.heed.findIssue('#1'))?.notes.map((n) => n.text)).toEqual([
      'Checked the rate limiter logs',
      'Looks like the burst limit',
    ]);

    const shown = await slash(h, people.staff, `customer <@${S.customer}|dana>`);
    expect(shown).toBe(
      [
        '*Customer* Dana Customer · BigCo · enterprise tier',
        `Identities: \`slack:${S.customer}\``,
        '1 issue · last contact 2026-11-23T09:00:00Z (6 minutes ago) · not rated yet',
        '*Notes (2)*',
        `• 2026-11-23T09:05:00Z @${S.staff}: Prefers e-mail over calls`,
        `• 2026-11-23T09:06:00Z @${D.staff}: Renewal in December, be nice`,
        '*Recent issues*',
        '• *#1* new · opened 2026-11-23T09:00:00Z · The API returns 429 all the time',
      ].join('\n'),
    );

    // Her next issue's card counts the notes on file.
    h.clock.advance(DAY);
    const second = await customerSays(h, 'Still 429s');
    expect(cardOf(h, second)?.history).toMatch(/^2nd issue · last contact 1 day ago · 2 notes on file · /);
    expect(second.notes).toEqual([]);
  });

  it('answers unknown people, teammates and mixed targets clearly, changing nothing', async () => {
    const h = await startHarness();
    await customerSays(h, 'Hello');
    expect(await slash(h, people.staff, 'customer discord:1600000000000000999')).toBe(
      'I have no profile for `discord:1600000000000000999` yet. Heed starts one when someone writes in a customer channel, or when you add a note with `/heed note @user <text>`.',
    );
    expect(await slash(h, people.staff, `note <@${S.staff2}|sam> please look at this`)).toContain(
      `\`slack:${S.staff2}\` is on the support team; a customer note is for customers.`,
    );
    expect(await h.heed.customers.find(people.staff2)).toBeUndefined();
    expect(
      await subcommand(h, people.discordStaff, 'note', {
        issue: '#1',
        customer: `slack:${S.customer}`,
        text: 'which one?',
      }),
    ).toContain('Give either an issue or a customer, not both');
    expect(await slash(h, people.staff, 'customer')).toMatch(
      /^That didn't work — user: say who: the customer.*\nUsage: `\/heed customer <@user> \[value\] \[12000\|12k\|clear\]`/,
    );
    expect(await slash(h, people.staff, 'customer dana')).toContain(
      'user: that is not a person; mention them or write slack:U0123ABC or discord:123456789012345678',
    );
    expect(await slash(h, people.staff, `note <@${S.customer}>`)).toContain('text: add the text of the note');
    expect(await slash(h, people.staff, 'link')).toContain('Usage: `/heed link <@user-a> <@user-b>`');
    expect(await slash(h, people.staff, `link slack:${S.customer}`)).toContain('user-b: say who');
    expect(await slash(h, people.staff, `link slack:${S.customer} slack:${S.customer}`)).toContain(
      'Those are the same identity.',
    );
    expect(await slash(h, people.staff, `link slack:${S.customer} slack:${S.staff}`)).toContain(
      'is on the support team; linking is for customers.',
    );
    expect(await slash(h, people.staff, `link slack:${S.customer} slack:nobody`)).toContain(
      'user-b: that is not a person',
    );
    const profile = await h.heed.customers.find(people.dana);
    expect(profile?.notes).toEqual([]);
    expect(profile?.identities).toHaveLength(1);
    expect(profile?.links).toEqual([]);
  });

  it('refuses customers who try the staff commands, without a trace', async () => {
    const h = await startHarness();
    await customerSays(h, 'Hello');
    const before = await h.heed.customers.find(people.dana);
    for (const text of [
      `customer <@${S.customer}>`,
      `link <@${S.customer}> discord:${D.customer}`,
      `note <@${S.customer}> I am very important`,
      'stats',
      'stats support 30d',
    ]) {
      const name = text.split(' ')[0];
      expect(await slash(h, people.dana, text)).toBe(
        `Sorry, \`/heed ${name}\` is for the support team. If you need help, just write in the support channel and someone will pick it up.`,
      );
    }
    expect(await h.heed.customers.find(people.dana)).toEqual(before);
    expect(await h.heed.customers.find(people.danaOnDiscord)).toBeUndefined();
    // Help lists them for staff only.
    expect(await slash(h, people.dana, 'help')).not.toContain('/heed customer');
    const help = await slash(h, people.staff, 'help');
    expect(help).toContain('`/heed note [#issue|@customer] <text>`');
    expect(help).toContain('`/heed stats [@user|team] [period]`');
    expect(help).toContain('`/heed customer <@user> [value] [12000|12k|clear]`');
    expect(help).toContain('`/heed link <@user-a> <@user-b>`');
  });
});
