import { acknowledgeCommand } from './acknowledge.ts';
import { answerCommand } from './answer.ts';
import { apologizeCommand } from './apologize.ts';
import { claimCommand } from './claim.ts';
import { closeCommand } from './close.ts';
import type { CommandDefinition } from './command.ts';
import { customerCommand } from './customer.ts';
import { dashboardCommand } from './dashboard.ts';
import { escalateCommand } from './escalate.ts';
import { forgetCommand } from './forget.ts';
import { handoffCommand } from './handoff.ts';
import { helpCommand } from './help.ts';
import { linkCommand } from './link.ts';
import { mineCommand } from './mine.ts';
import { noteCommand } from './note.ts';
import { oncallCommand } from './oncall.ts';
import { priorityCommand } from './priority.ts';
import { queueCommand } from './queue.ts';
import { releaseCommand } from './release.ts';
import { reopenCommand } from './reopen.ts';
import { replyCommand } from './reply.ts';
import { resolveCommand } from './resolve.ts';
import { snoozeCommand } from './snooze.ts';
import { statsCommand } from './stats.ts';
import { transcriptCommand } from './transcript.ts';

/** The one root command (`/heed` on Slack, the `heed` chat-input command on Discord); every command is its sub-command. */
export const ROOT_COMMAND = 'heed';

/**
 * Every command Heed has, in the order `help` lists them. The Slack manifest and the Discord command
 * definitions are generated from (and tested against) this list.
 */
export const COMMANDS: readonly CommandDefinition[] = [
  claimCommand,
  replyCommand,
  answerCommand,
  releaseCommand,
  handoffCommand,
  resolveCommand,
  reopenCommand,
  closeCommand,
  apologizeCommand,
  priorityCommand,
  snoozeCommand,
  noteCommand,
  escalateCommand,
  acknowledgeCommand,
  oncallCommand,
  queueCommand,
  mineCommand,
  statsCommand,
  dashboardCommand,
  customerCommand,
  transcriptCommand,
  linkCommand,
  forgetCommand,
  helpCommand(() => COMMANDS),
] as readonly CommandDefinition[];

export function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((command) => command.name === name.toLowerCase());
}
