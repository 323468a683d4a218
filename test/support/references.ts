import { discordReferences } from '../../adapters/discord/discord-references.ts';
import { slackReferences } from '../../adapters/slack/slack-references.ts';

/** How people are written on each platform, as the composition root hands them to the adapters. */
export const REFERENCES = [slackReferences, discordReferences];
