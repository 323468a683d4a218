import { z } from 'zod';
import { code, customerText, rich } from '../messages/rich-text.ts';
import { buildTranscript, transcriptMarkdown } from '../transcripts/transcript.ts';
import { args, defineCommand, targetIssue } from './command.ts';

/** What a chat reply holds of a transcript; the full one comes from the command line. */
const SHOWN = 3_500;

export const transcriptCommand = defineCommand({
  name: 'transcript',
  summary:
    "An issue's transcript: the customer's and staff messages, what Heed said, and the ledger, by time.",
  access: 'staff',
  args: [{ name: 'issue', kind: 'issue', description: 'The issue, e.g. #42 (optional inside its thread)' }],
  schema: z.object({ issue: args.issue }),
  async run(context, { issue }) {
    const target = await targetIssue(context, issue);
    if ('reply' in target) return target.reply;
    const names = await context.core.people.all();
    const text = transcriptMarkdown(buildTranscript(target.issue, context.core.config, names));
    const cut = text.length > SHOWN ? `${text.slice(0, SHOWN)}\n…` : text;
    return {
      visibility: 'ephemeral',
      // It holds the customer's words: relayed as their text, so nothing in it pings or links.
      text: rich`${customerText(cut)}\nThe whole transcript, as Markdown, HTML or JSON: ${code(`npx heed transcript ${target.issue.number} --format md|html|json`)}`,
    };
  },
});
