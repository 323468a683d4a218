import type { HeedConfig } from '../config/schema.ts';
import type { Platform } from '../domain/refs.ts';

/** What an adapter knows about the person who wrote. */
export interface AuthorFacts {
  readonly platform: Platform;
  /** Slack: the author's own team id (differs from the workspace for Slack Connect guests). */
  readonly teamId?: string | undefined;
  /** Discord: the member's role ids. */
  readonly roles?: readonly string[] | undefined;
  readonly email?: string | undefined;
}

/** The ids each platform's list in a tier names (config keys): Slack teams, Discord roles. */
function tierMembers(tier: HeedConfig['tiers'][number]): Record<Platform, readonly string[]> {
  return { slack: tier.slackTeams, discord: tier.discordRoles };
}

/** The customer's tier from the configured Slack teams, Discord roles or e-mail domains (first match). */
export function detectTier(config: HeedConfig, author: AuthorFacts): string | undefined {
  const domain = author.email?.split('@')[1]?.toLowerCase();
  // What the author belongs to that a tier may list on their platform: their team, their roles.
  const memberships = [...(author.teamId ? [author.teamId] : []), ...(author.roles ?? [])];
  for (const tier of config.tiers) {
    const members = tierMembers(tier)[author.platform];
    if (memberships.some((id) => members.includes(id))) return tier.id;
    if (domain && tier.emailDomains.some((d) => d.toLowerCase() === domain)) return tier.id;
  }
  return undefined;
}
