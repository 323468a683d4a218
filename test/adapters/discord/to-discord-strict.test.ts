/**
 * Whatever Heed renders for Discord passes the emulator's rules (the ones Discord enforces with 50035
 * "Invalid Form Body"): messages of any length and shape, cards, buttons, command replies, form modals
 * and thread names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DiscordMessagePayload,
  toDiscordMessage,
  toDiscordReply,
} from '../../../adapters/discord/to-discord.ts';
import { formModal } from '../../../adapters/discord/to-discord-components.ts';
import { threadName } from '../../../adapters/discord/to-discord-text.ts';
import { mention, rich } from '../../../src/messages/rich-text.ts';
import type { ActionButton, FormSpec, IssueCard } from '../../../src/ports/chat-port.ts';
import { validateModal } from '../../emulators/discord/modal-rules.ts';
import type { JsonObject } from '../../emulators/discord/objects.ts';
import { threadBodyError } from '../../emulators/discord/threads.ts';
import { validateMessageBody } from '../../emulators/discord/validate.ts';

const context = { isRole: (id: string) => id.endsWith('9') };

// Any text, from empty to far over every limit, with emoji, markdown, mention syntax and blanks.
const piece = fc.string({
  unit: fc.constantFrom('a', ' ', '\n', '\t', '*', '_', '`', '>', '@', '<', '#', '😀', 'é', '[', ']'),
  maxLength: 12,
});
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    piece,
    // Long: a piece repeated up to `maxLength` characters (the cut may split an emoji).
    fc
      .tuple(
        piece.filter((p) => p.length > 0),
        fc.nat(maxLength),
      )
      .map(([p, length]) => p.repeat(Math.ceil(length / p.length)).slice(0, length)),
  );
const someText = (maxLength: number) => anyText(maxLength).filter((text) => text.length > 0);

const issueId = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
const actionName = fc.constantFrom(
  'claim',
  'resolve',
  'escalate',
  'acknowledge',
  'snooze',
  'apologize',
  'rate-up',
  'rate-down',
);

const form: fc.Arbitrary<FormSpec> = fc.record({
  title: someText(60),
  fields: fc.uniqueArray(
    fc.record(
      {
        name: fc.stringMatching(/^[a-z]{1,20}$/),
        label: someText(2_500),
        placeholder: someText(200),
        long: fc.boolean(),
        optional: fc.boolean(),
      },
      { requiredKeys: ['name', 'label'] },
    ),
    { selector: (field) => field.name, minLength: 1, maxLength: 8 },
  ),
});

const button: fc.Arbitrary<ActionButton> = fc.record(
  {
    action: actionName,
    issueId,
    label: someText(120),
    style: fc.constantFrom('primary' as const, 'danger' as const),
    form,
  },
  { requiredKeys: ['action', 'issueId', 'label'] },
);

const card: fc.Arbitrary<IssueCard> = fc.record(
  {
    issueId,
    reference: fc.stringMatching(/^#\d{1,6}$/),
    status: someText(200),
    priority: fc.constantFrom('low' as const, 'normal' as const, 'high' as const, 'urgent' as const),
    team: someText(100),
    customerName: someText(300),
    customerDetails: anyText(1_500),
    excerpt: anyText(5_000),
    owner: fc.record({ platform: fc.constantFrom('discord', 'slack'), id: fc.stringMatching(/^\d{17,19}$/) }),
    deadlines: fc.array(anyText(1_200), { maxLength: 6 }),
    history: anyText(1_500),
    threadLink: fc.webUrl(),
    files: fc.array(
      fc.record({ name: anyText(300), url: fc.webUrl(), type: fc.constantFrom('image/png', 'text/plain') }),
      { maxLength: 12 },
    ),
    moreFiles: fc.nat(500),
    actions: fc.array(button, { maxLength: 30 }),
  },
  {
    requiredKeys: [
      'issueId',
      'reference',
      'status',
      'priority',
      'team',
      'customerName',
      'customerDetails',
      'excerpt',
      'deadlines',
      'history',
      'actions',
    ],
  },
);

const mentions = fc.array(fc.stringMatching(/^\d{17,19}$/), { maxLength: 150 });

/** The body discord.js sends for a payload (`allowedMentions` in Discord's spelling). */
function wire(payload: DiscordMessagePayload | ReturnType<typeof toDiscordReply>): JsonObject {
  const { allowedMentions, ...rest } = payload;
  return {
    ...rest,
    allowed_mentions: {
      parse: allowedMentions.parse,
      users: allowedMentions.users,
      roles: allowedMentions.roles,
      replied_user: allowedMentions.repliedUser,
    },
  } as unknown as JsonObject;
}

const refusal = (body: JsonObject) =>
  validateMessageBody(body, { hasFiles: false, edit: false })?.body ?? null;

// Fewer runs where texts are long: escaping Discord markdown costs tens of ms on a few thousand characters.
describe('what Heed renders for Discord, against Discord’s rules', () => {
  it('messages, with or without buttons, of any length and with any mentions', () => {
    fc.assert(
      fc.property(anyText(5_000), mentions, fc.array(button, { maxLength: 60 }), (text, ids, actions) => {
        const message = {
          text: rich`${text}${ids.map((id) => mention({ platform: 'discord', id }))}!`,
          actions,
        };
        expect(refusal(wire(toDiscordMessage(message, context)))).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('cards, with buttons of their own and on the message', () => {
    fc.assert(
      fc.property(card, anyText(4_000), fc.array(button, { maxLength: 30 }), (issue, text, actions) => {
        const payload = toDiscordMessage({ text: rich`${text}`, card: issue, actions }, context);
        expect(refusal(wire(payload))).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('command replies', () => {
    fc.assert(
      fc.property(anyText(5_000), (text) => {
        expect(
          refusal(wire(toDiscordReply({ text: rich`${text}`, visibility: 'ephemeral' }, context))),
        ).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('the modal a button with a form opens', () => {
    fc.assert(
      fc.property(button, form, (clicked, spec) => {
        expect(validateModal(formModal(clicked, spec) as unknown as JsonObject)?.body ?? null).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('the name of the thread Heed starts under a customer’s message', () => {
    fc.assert(
      fc.property(anyText(300), fc.option(anyText(3_000), { nil: undefined }), (text, starter) => {
        expect(threadBodyError({ name: threadName(rich`${text}`, starter) })?.body ?? null).toBeNull();
      }),
      { numRuns: 150 },
    );
  });
});
