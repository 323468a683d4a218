/**
 * Whatever Heed renders for Slack passes the emulator's Block Kit rules (the ones Slack enforces with
 * `invalid_blocks` / `invalid_arguments`): messages of any length and shape, cards, buttons and modals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formModal, renderMessage } from '../../../adapters/slack/to-slack-blocks.ts';
import { rich } from '../../../src/messages/rich-text.ts';
import type { ActionButton, FormSpec, IssueCard } from '../../../src/ports/chat-port.ts';
import { checkBlocks, checkView, describeProblem } from '../../emulators/slack/blocks.ts';

// Any text, from empty to far over every limit, with emoji and Slack's control characters.
const piece = fc.string({
  unit: fc.constantFrom('a', ' ', '\n', '<', '&', '>', '😀', 'é', '*'),
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
const actionName = fc.constantFrom('claim', 'resolve', 'snooze', 'acknowledge', 'reassign', 'rate');

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
    customerDetails: anyText(3_000),
    excerpt: anyText(5_000),
    deadlines: fc.array(anyText(2_500), { maxLength: 12 }),
    history: anyText(2_500),
    threadLink: fc.webUrl(),
    files: fc.array(fc.record({ name: anyText(300), url: fc.webUrl() }), { maxLength: 12 }),
    moreFiles: fc.nat(500),
    actions: fc.array(button, { maxLength: 60 }),
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

const problems = (found: ReturnType<typeof checkBlocks>) => found.map(describeProblem);

describe('what Heed renders for Slack, against Slack’s Block Kit rules', () => {
  it('messages, with or without buttons, of any length', () => {
    fc.assert(
      fc.property(anyText(60_000), fc.array(button, { maxLength: 60 }), (text, actions) => {
        const rendered = renderMessage({ text: rich`${text}`, actions });
        if (rendered.blocks) expect(problems(checkBlocks(rendered.blocks))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('cards, with buttons of their own and on the message', () => {
    fc.assert(
      fc.property(card, anyText(4_000), fc.array(button, { maxLength: 30 }), (issue, text, actions) => {
        const rendered = renderMessage({ text: rich`${text}`, card: issue, actions });
        expect(problems(checkBlocks(rendered.blocks))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('the modal a button with a form opens', () => {
    fc.assert(
      fc.property(button, form, (clicked, spec) => {
        const view = formModal(clicked, spec) as unknown as Record<string, unknown>;
        expect(problems(checkView(view))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
