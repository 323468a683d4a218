import type { types } from '@slack/bolt';
import type { Rich } from '../../src/messages/rich-text.ts';
import type { ActionButton } from '../../src/ports/chat-port.ts';
import type { HomePage, HomePageLine, HomePageSection } from '../../src/ports/home-page.ts';
import { encodeActionId } from './action-ids.ts';
import { cutMrkdwn, cutPlain, escapeMrkdwn, SLACK_LIMITS, splitMrkdwn, toMrkdwn } from './to-slack.ts';

type Block = types.KnownBlock;

/** "A maximum of 100 blocks can be included in a home tab" (Slack's view reference). */
export const HOME_BLOCKS = 100;

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });

function textSection(text: string): types.SectionBlock {
  return { type: 'section', text: mrkdwn(cutMrkdwn(text, SLACK_LIMITS.sectionText)) };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(cutMrkdwn(text, SLACK_LIMITS.contextText))] };
}

// One section per buttoned line (the button as its accessory); the other lines share sections of text.
function lineBlocks(lines: readonly HomePageLine[], button: (action: ActionButton) => types.Button): Block[] {
  const blocks: Block[] = [];
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    for (const chunk of splitMrkdwn(pending.join('\n'), SLACK_LIMITS.sectionText, 10)) {
      blocks.push(textSection(chunk));
    }
    pending = [];
  };
  for (const line of lines) {
    const text = toMrkdwn(line.text);
    if (!line.button) {
      pending.push(`• ${text}`);
      continue;
    }
    flush();
    blocks.push({ ...textSection(text), accessory: button(line.button) });
  }
  flush();
  return blocks;
}

function sectionBlocks(part: HomePageSection, button: (action: ActionButton) => types.Button): Block[] {
  const blocks: Block[] = [
    { type: 'divider' },
    { type: 'header', text: plain(cutPlain(part.title, SLACK_LIMITS.headerText)) },
  ];
  if (part.lines.length === 0) {
    if (part.empty) blocks.push(context(escapeMrkdwn(part.empty)));
    return blocks;
  }
  blocks.push(...lineBlocks(part.lines, button));
  if (part.more)
    blocks.push(context(`…and ${part.more} more. \`/heed dashboard\` and \`/heed queue\` list them.`));
  return blocks;
}

/**
 * The App Home view of a neutral home page: a header, the intro (and a notice, such as the answer to a
 * button pressed here), then each section under a divider and a header. Queue lines carry their Claim
 * button (`heed:claim`, value = issue id), handled like the card's. Customer text is escaped by
 * `toMrkdwn`, and at most {@link HOME_BLOCKS} blocks are sent.
 */
export function homeView(page: HomePage, notice?: Rich): types.HomeView {
  const seen = new Map<string, number>();
  const button = (action: ActionButton): types.Button => {
    const count = (seen.get(action.action) ?? 0) + 1;
    seen.set(action.action, count);
    return {
      type: 'button',
      action_id: encodeActionId(action.action, count),
      value: action.issueId,
      text: plain(cutPlain(action.label, SLACK_LIMITS.buttonText)),
      ...(action.style ? { style: action.style } : {}),
    };
  };
  const blocks: Block[] = [
    { type: 'header', text: plain(cutPlain(page.title, SLACK_LIMITS.headerText)) },
    textSection(toMrkdwn(page.intro)),
  ];
  if (notice) blocks.push(context(toMrkdwn(notice)));
  for (const part of page.sections) blocks.push(...sectionBlocks(part, button));
  if (blocks.length > HOME_BLOCKS) {
    blocks.length = HOME_BLOCKS - 1;
    blocks.push(context('…the page was cut here. `/heed dashboard` has the rest.'));
  }
  return { type: 'home', blocks };
}
