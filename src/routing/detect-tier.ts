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

/** The customer's tier from the configured Slack teams, Discord roles or e-mail domains (first match). */
export function detectTier(config: HeedConfig, author: AuthorFacts): string | undefined {
  const domain = author.email?.split('@')[1]?.toLowerCase();
  for (const tier of config.tiers) {
    if (author.platform === 'slack' && author.teamId && tier.slackTeams.includes(author.teamId))
      return tier.id;
    if (author.platform === 'discord' && author.roles?.some((role) => tier.discordRoles.includes(role)))
      return tier.id;
    if (domain && tier.emailDomains.some((d) => d.toLowerCase() === domain)) return tier.id;
  }
  return undefined;
}
