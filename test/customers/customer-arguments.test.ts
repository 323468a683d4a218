import { ApplicationCommandOptionType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { optionFor, subcommandFor } from '../../manifest/discord/commands.ts';
import { usage } from '../../src/commands/command.ts';
import { namePeople, parsePositional } from '../../src/commands/parse-arguments.ts';
import { peopleReader } from '../../src/commands/people-reader.ts';
import { findCommand } from '../../src/commands/registry.ts';
import { REFERENCES } from '../support/references.ts';

const note = findCommand('note')!;
const link = findCommand('link')!;
// Someone writing on Slack, reading people through every platform's parser (as the adapters hand them in).
const onSlack = peopleReader(REFERENCES, 'slack');

describe('identity arguments', () => {
  it('let note take an issue or a customer first, never both', () => {
    expect(parsePositional(note.args, '#42 <@U0CUST01> says hi', onSlack).args).toEqual({
      issue: '#42',
      text: '<@U0CUST01> says hi',
    });
    expect(parsePositional(note.args, '<@U0CUST01|dana> Prefers e-mail', onSlack).args).toEqual({
      customer: '<@U0CUST01|dana>',
      text: 'Prefers e-mail',
    });
    expect(parsePositional(note.args, 'discord:1600000000000000001 VIP', onSlack).args).toEqual({
      customer: 'discord:1600000000000000001',
      text: 'VIP',
    });
    expect(parsePositional(note.args, 'just a note in the thread', onSlack).args).toEqual({
      text: 'just a note in the thread',
    });
    expect(
      note.schema.safeParse(namePeople(note.args, { customer: '<@U0CUST01|dana>', text: 'x' }, onSlack)).data,
    ).toEqual({
      customer: { platform: 'slack', id: 'U0CUST01' },
      text: 'x',
    });
  });

  it('take a required identity even when it is wrong, so the schema can say why', () => {
    expect(parsePositional(link.args, 'dana slack:U0CUST01', onSlack).args).toEqual({
      'user-a': 'dana',
      'user-b': 'slack:U0CUST01',
    });
  });

  it('show in usage lines and are strings on Discord', () => {
    expect(usage(note)).toBe('/heed note [#issue|@customer] <text>');
    expect(usage(link)).toBe('/heed link <@user-a> <@user-b>');
    expect(usage(findCommand('customer')!)).toBe('/heed customer <@user> [value] [12000|12k|clear]');
    expect(usage(findCommand('stats')!)).toBe('/heed stats [@user|team] [period]');
    expect(optionFor(link.args[0]!)).toMatchObject({
      name: 'user-a',
      type: ApplicationCommandOptionType.String,
      required: true,
    });
    expect(subcommandFor(note).options?.map((o) => [o.name, o.required])).toEqual([
      ['text', true],
      ['issue', false],
      ['customer', false],
    ]);
  });
});
