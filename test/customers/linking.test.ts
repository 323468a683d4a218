import { describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.ts';
import {
  acknowledgementOf,
  cardOf,
  customerSays,
  D,
  DAY,
  MINUTE,
  people,
  S,
  slash,
  subcommand,
} from './customer-story.ts';

describe('one profile per person across platforms', () => {
  it('links a Slack and a Discord identity by hand: history, notes and an audit entry follow', async () => {
    const h = await startHarness();
    await customerSays(h, 'Export fails');
    h.clock.advance(DAY);
    const onDiscord = await customerSays(h, 'Export fails on Discord too', {
      platform: 'discord',
      author: { id: D.customer, name: 'dana_d' },
    });
    // Not linked yet: Discord Dana is someone new.
    expect(acknowledgementOf(h, onDiscord)?.plain).toContain('Hi dana_d, thanks for reaching out!');
    expect(cardOf(h, onDiscord)?.history).toMatch(/^first issue/);
    await subcommand(h, people.discordStaff, 'note', {
      customer: `<@${D.customer}>`,
      text: 'Asked for the Discord beta',
    });

    // A Slack staff member cannot mention a Discord user, so they name the identity.
    h.clock.advance(10 * MINUTE);
    const linkedAt = h.clock.now();
    expect(await slash(h, people.staff, `link <@${S.customer}|dana> discord:${D.customer}`)).toBe(
      `Linked \`slack:${S.customer}\` and \`discord:${D.customer}\`: one profile for Dana Customer now (2 issues · 1 note).`,
    );
    const profile = await h.heed.customers.find(people.danaOnDiscord);
    expect(profile).toEqual(await h.heed.customers.find(people.dana));
    expect(profile?.identities.map((i) => `${i.platform}:${i.id}`)).toEqual([
      `slack:${S.customer}`,
      `discord:${D.customer}`,
    ]);
    expect(profile?.issues.map((i) => i.number)).toEqual([1, 2]);
    expect(profile?.notes.map((n) => n.text)).toEqual(['Asked for the Discord beta']);
    expect(profile?.links.at(-1)).toMatchObject({
      linkedBy: { platform: 'slack', id: S.staff },
      linkedAt,
      identities: [
        { platform: 'slack', id: S.customer },
        { platform: 'discord', id: D.customer },
      ],
    });
    expect(profile?.links.at(-1)?.mergedProfile).toEqual(expect.stringMatching(/^cus_/));

    // The profile reads the same from either side.
    const shown = await slash(h, people.staff, `customer discord:${D.customer}`);
    expect(shown).toContain('*Customer* Dana Customer');
    expect(shown).toContain(`Identities: \`slack:${S.customer}\`, \`discord:${D.customer}\``);
    expect(shown).toMatch(/2 issues · last contact .* · not rated yet/);
    expect(shown).toMatch(/\*Recent issues\*\n• \*#2\* new .*\n• \*#1\* new/);
    expect(shown).toContain(`Last linked by @${S.staff} at`);

    // Her next message on Discord is her third issue.
    h.clock.advance(DAY);
    const third = await customerSays(h, 'Thanks, one more thing', {
      platform: 'discord',
      author: { id: D.customer, name: 'dana_d' },
    });
    expect(acknowledgementOf(h, third)?.plain).toContain('Welcome back, dana_d!');
    expect(cardOf(h, third)?.history).toMatch(/^3rd issue · last contact 1 day ago · 1 note on file/);

    // Linking again changes nothing (the profile goes by the name she last wrote under); from Discord with
    // typed options too.
    expect(
      await subcommand(h, people.discordStaff, 'link', {
        'user-a': `<@${D.customer}>`,
        'user-b': `slack:${S.customer}`,
      }),
    ).toBe(`\`discord:${D.customer}\` and \`slack:${S.customer}\` are already one profile (dana_d).`);
  });

  it('links an identity Heed has not met yet, ahead of their first message', async () => {
    const h = await startHarness();
    await customerSays(h, 'Hello from Slack');
    expect(await slash(h, people.staff, `link slack:${S.customer} discord:1600000000000000777`)).toContain(
      'one profile for Dana Customer now (1 issue · 0 notes)',
    );
    h.clock.advance(DAY);
    const first = await customerSays(h, 'Hello from Discord', {
      platform: 'discord',
      author: { id: '1600000000000000777', name: 'dana_d' },
    });
    expect(acknowledgementOf(h, first)?.plain).toContain('Welcome back, dana_d!');
    expect(cardOf(h, first)?.history).toMatch(/^2nd issue · last contact 1 day ago/);
  });

  it('links automatically when an e-mail is already known, merging a second profile', async () => {
    const h = await startHarness();
    const bigco = (id: string, email?: string) => ({
      author: { id, name: 'Dana Customer', ...(email ? { email } : {}) },
    });
    await customerSays(h, 'Hello', bigco(S.customer, 'Dana@BigCo.com'));

    // The same person from another workspace, with the same address: the same profile.
    h.clock.advance(DAY);
    const fromElsewhere = await customerSays(h, 'Hello again', bigco('U0CUST09', 'dana@bigco.com'));
    expect(acknowledgementOf(h, fromElsewhere)?.plain).toContain('Welcome back, Dana Customer!');
    expect(cardOf(h, fromElsewhere)?.history).toMatch(/^2nd issue · last contact 1 day ago/);
    const profile = await h.heed.customers.find({ platform: 'slack', id: 'U0CUST09' });
    expect(profile?.id).toBe((await h.heed.customers.find(people.dana))?.id);
    expect(profile?.emails).toEqual(['dana@bigco.com']);
    expect(profile?.tier).toBe('enterprise');
    expect(profile?.organisation).toBe('Enterprise');
    expect(profile?.links.at(-1)).toMatchObject({
      linkedBy: { platform: 'heed', id: 'heed' },
      identities: [{ platform: 'slack', id: 'U0CUST09' }],
      reason: 'same e-mail address',
    });
    expect(await h.heed.customers.repository.findByEmail(' DANA@bigco.com ')).toEqual(profile);

    // A third identity first writes without an e-mail (its own profile), later with it: merged.
    h.clock.advance(DAY);
    await customerSays(h, 'No e-mail yet', bigco('U0CUST05'));
    const separate = await h.heed.customers.find({ platform: 'slack', id: 'U0CUST05' });
    expect(separate?.id).not.toBe(profile?.id);
    h.clock.advance(DAY);
    const merged = await customerSays(h, 'Now with e-mail', bigco('U0CUST05', 'dana@bigco.com'));
    expect(cardOf(h, merged)?.history).toMatch(/^4th issue · last contact 1 day ago/);
    const one = await h.heed.customers.find(people.dana);
    expect(one?.identities.map((i) => i.id)).toEqual([S.customer, 'U0CUST09', 'U0CUST05']);
    expect(one?.issues.map((i) => i.number)).toEqual([1, 2, 3, 4]);
    expect(await h.heed.customers.repository.get(separate!.id)).toBeUndefined();
    expect(await h.heed.customers.find({ platform: 'slack', id: 'U0CUST05' })).toEqual(one);
  });

  it('serialises concurrent contacts and links: one profile, nothing lost', async () => {
    const h = await startHarness();
    const repository = h.heed.customers.repository;
    const at = h.clock.now();
    const dana = { platform: 'slack' as const, id: S.customer };
    const discord = { platform: 'discord' as const, id: D.customer };
    await Promise.all([
      ...Array.from({ length: 5 }, (_, n) => repository.recordContact({ user: dana, at: at + n })),
      repository.link(dana, discord, people.staff, at),
      repository.link(discord, dana, people.staff2, at),
      ...Array.from({ length: 3 }, (_, n) =>
        repository.addNote(discord, { at: at + n, by: people.staff, text: `note ${n}` }),
      ),
    ]);
    const profile = await repository.findByIdentity(dana);
    expect(await repository.findByIdentity(discord)).toEqual(profile);
    expect(profile?.notes.map((n) => n.text).sort()).toEqual(['note 0', 'note 1', 'note 2']);
    expect(profile?.lastContactAt).toBe(at + 4);
  });
});
