import type { types } from '@slack/bolt';
import type { Priority } from '../../src/domain/issue.ts';
import type {
  ActionButton,
  FormField,
  FormSpec,
  IssueCard,
  OutboundMessage,
} from '../../src/ports/chat-port.ts';
import { encodeActionId, encodeCallbackId, FIELD_ACTION_ID } from './action-ids.ts';
import {
  carriesCustomerText,
  cutMrkdwn,
  cutPlain,
  escapeMrkdwn,
  quoteMrkdwn,
  SLACK_LIMITS,
  slackLink,
  slackMention,
  splitMrkdwn,
  toMrkdwn,
} from './to-slack.ts';

type Block = types.KnownBlock;

/** What `chat.postMessage` / `chat.update` get for one neutral message. */
export interface SlackMessageContent {
  readonly text: string;
  readonly blocks?: Block[];
  /** Set for messages carrying customer text, so nothing a customer wrote unfurls. */
  readonly unfurl?: false;
}

const PRIORITY_LABEL: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: '🔺 High',
  urgent: '🚨 Urgent',
};

const NOTIFICATION_TEXT = 3_000;

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });

function section(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(cutMrkdwn(text, SLACK_LIMITS.sectionText)) };
}

function field(label: string, value: string): types.MrkdwnElement {
  return mrkdwn(cutMrkdwn(`*${label}*\n${value}`, SLACK_LIMITS.fieldText));
}

/** Buttons as actions blocks (25 per block); each `action_id` is `heed:<action>`, the value the issue id. */
export function actionBlocks(actions: readonly ActionButton[]): types.ActionsBlock[] {
  const seen = new Map<string, number>();
  const buttons = actions.map((action): types.Button => {
    const count = (seen.get(action.action) ?? 0) + 1;
    seen.set(action.action, count);
    return {
      type: 'button',
      action_id: encodeActionId(action.action, count),
      value: action.issueId,
      text: plain(cutPlain(action.label, SLACK_LIMITS.buttonText)),
      ...(action.style ? { style: action.style } : {}),
    };
  });
  const blocks: types.ActionsBlock[] = [];
  for (let start = 0; start < buttons.length; start += SLACK_LIMITS.actionsPerBlock) {
    blocks.push({
      type: 'actions',
      block_id: `heed:actions:${blocks.length}`,
      elements: buttons.slice(start, start + SLACK_LIMITS.actionsPerBlock),
    });
  }
  return blocks;
}

/** The team card: what the issue is, who wrote it (escaped), who owns it, its deadlines, and buttons. */
export function cardBlocks(card: IssueCard, messageText: string): Block[] {
  const customer = [
    escapeMrkdwn(card.customerName),
    card.customerDetails ? escapeMrkdwn(card.customerDetails) : '',
    card.value ? `*${escapeMrkdwn(card.value)}*` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const owner = card.owner ? slackMention(card.owner.platform, card.owner.id) : '_Unclaimed_';
  const blocks: Block[] = [
    { type: 'header', text: plain(cutPlain(`${card.reference} · ${card.status}`, SLACK_LIMITS.headerText)) },
  ];
  if (messageText.trim() !== '') blocks.push(section(messageText));
  blocks.push({
    type: 'section',
    fields: [
      field('Customer', customer),
      field('Priority', PRIORITY_LABEL[card.priority]),
      field('Owner', owner),
      field('Team', escapeMrkdwn(card.team)),
    ],
  });
  blocks.push(section(card.excerpt.trim() === '' ? '>_(no text)_' : quoteMrkdwn(card.excerpt)));
  const context = [...card.deadlines.map((line) => `⏱ ${escapeMrkdwn(line)}`), escapeMrkdwn(card.history)]
    .filter((line) => line.trim() !== '')
    .slice(0, 10)
    .map((line) => mrkdwn(cutMrkdwn(line, SLACK_LIMITS.contextText)));
  if (context.length > 0) blocks.push({ type: 'context', elements: context });
  const files = filesLine(card);
  if (files) blocks.push(section(files));
  if (card.threadLink) blocks.push(section(`🧵 ${slackLink(card.threadLink, 'Open the customer’s thread')}`));
  if (card.suggestedReply) {
    const { id, title } = card.suggestedReply;
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          cutMrkdwn(
            `💡 Suggested reply: *${escapeMrkdwn(title)}* · \`/heed answer ${escapeMrkdwn(id)}\` or *Answer*`,
            SLACK_LIMITS.contextText,
          ),
        ),
      ],
    });
  }
  blocks.push(...actionBlocks(card.actions));
  return blocks;
}

/**
 * "📎 3 files: a.png, log.txt, b.png", each a link (names escaped). No image preview: an image block makes
 * Slack fetch the image, and a link that has expired (Discord's CDN) would fail the whole card update.
 */
function filesLine(card: IssueCard): string | undefined {
  const files = card.files ?? [];
  const total = files.length + (card.moreFiles ?? 0);
  if (total === 0) return undefined;
  const links = files.map((file) => slackLink(file.url, cutPlain(file.name, 80)));
  const more = card.moreFiles ? ` and ${card.moreFiles} more` : '';
  return cutMrkdwn(
    `📎 ${total} file${total === 1 ? '' : 's'}: ${links.join(', ')}${more}`,
    SLACK_LIMITS.sectionText,
  );
}

// Text sections followed by buttons, within the 50-block limit (buttons are kept, text is cut).
function textWithActions(text: string, actions: readonly ActionButton[]): Block[] {
  const buttons = actionBlocks(actions);
  const room = Math.max(1, SLACK_LIMITS.blocksPerMessage - buttons.length);
  const sections = splitMrkdwn(text, SLACK_LIMITS.sectionText, room).map(section);
  return [...sections, ...buttons].slice(0, SLACK_LIMITS.blocksPerMessage);
}

/** Renders a neutral message for `chat.postMessage` / `chat.update` / ephemeral replies. */
export function renderMessage(message: OutboundMessage): SlackMessageContent {
  const text = toMrkdwn(message.text);
  const unfurl =
    carriesCustomerText(message.text) || message.card !== undefined ? ({ unfurl: false } as const) : {};
  if (message.card) {
    // The message's own buttons join the card's in one set of actions blocks: rendered apart, both sets
    // began with a `heed:actions:0` block, and Slack refuses a message with a block_id twice.
    const actions = [...message.card.actions, ...(message.actions ?? [])];
    const blocks = cardBlocks({ ...message.card, actions }, text);
    return {
      text: cutMrkdwn(text || message.card.reference, NOTIFICATION_TEXT),
      blocks: fitBlocks(blocks),
      ...unfurl,
    };
  }
  if (message.actions && message.actions.length > 0) {
    return {
      text: cutMrkdwn(text, NOTIFICATION_TEXT),
      blocks: textWithActions(text, message.actions),
      ...unfurl,
    };
  }
  return { text: cutMrkdwn(text, SLACK_LIMITS.messageText), ...unfurl };
}

// Keeps at most 50 blocks, dropping from the middle so the header and the buttons stay.
function fitBlocks(blocks: Block[]): Block[] {
  if (blocks.length <= SLACK_LIMITS.blocksPerMessage) return blocks;
  const tail = blocks.filter((block) => block.type === 'actions').slice(0, 5);
  const head = blocks
    .filter((block) => block.type !== 'actions')
    .slice(0, SLACK_LIMITS.blocksPerMessage - tail.length);
  return [...head, ...tail];
}

/** A form field's input: a static select for a field with choices, else a plain-text input. */
function formElement(spec: FormField): types.InputBlockElement {
  const placeholder = spec.placeholder
    ? { placeholder: plain(cutPlain(spec.placeholder, SLACK_LIMITS.placeholder)) }
    : {};
  if (spec.choices && spec.choices.length > 0) {
    const options = spec.choices
      .filter((choice) => choice.value.length <= SLACK_LIMITS.optionValue)
      .slice(0, SLACK_LIMITS.selectOptions)
      .map((choice) => ({
        text: plain(cutPlain(choice.label, SLACK_LIMITS.optionText)),
        value: choice.value,
      }));
    const initial = options.find((option) => option.value === spec.initial);
    return {
      type: 'static_select',
      action_id: FIELD_ACTION_ID,
      options,
      ...(initial ? { initial_option: initial } : {}),
      ...placeholder,
    };
  }
  return {
    type: 'plain_text_input',
    action_id: FIELD_ACTION_ID,
    multiline: spec.long === true,
    ...(spec.initial ? { initial_value: spec.initial.slice(0, SLACK_LIMITS.inputValue) } : {}),
    ...placeholder,
  };
}

/** The modal a button with a form opens: one input per field; submitting runs the action. */
export function formModal(
  button: Pick<ActionButton, 'action' | 'issueId' | 'label'>,
  form: FormSpec,
): types.ModalView {
  return {
    type: 'modal',
    callback_id: encodeCallbackId(button.action),
    private_metadata: button.issueId,
    title: plain(cutPlain(form.title, SLACK_LIMITS.modalTitle)),
    submit: plain(cutPlain(button.label, SLACK_LIMITS.modalButton)),
    close: plain('Cancel'),
    blocks: form.fields.slice(0, SLACK_LIMITS.blocksPerModal).map(
      (spec): types.InputBlock => ({
        type: 'input',
        block_id: spec.name,
        label: plain(cutPlain(spec.label, SLACK_LIMITS.inputLabel)),
        ...(spec.optional ? { optional: true } : {}),
        element: formElement(spec),
      }),
    ),
  };
}
