import type { Issue } from '../domain/issue.ts';
import type { ConversationRef } from '../domain/refs.ts';
import type { Core } from './core.ts';

/** Finds an issue from what a person typed: `#42`, `42`, or an issue id. */
export async function findIssue(core: Pick<Core, 'issues'>, reference: string): Promise<Issue | undefined> {
  const match = /^#?(\d{1,9})$/.exec(reference.trim());
  if (match) return core.issues.getByNumber(Number(match[1]));
  return core.issues.get(reference.trim());
}

/** The issue whose thread a conversation is, if it is one. */
export async function issueIn(
  core: Pick<Core, 'issues'>,
  conversation: ConversationRef | undefined,
): Promise<Issue | undefined> {
  if (!conversation?.thread) return undefined;
  return core.issues.getByConversation(conversation);
}
