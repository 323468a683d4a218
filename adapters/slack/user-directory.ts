import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../src/logging/logger.ts';
import type { SlackProfile } from './from-slack.ts';

const userInfoSchema = z.object({
  user: z
    .object({
      name: z.string().optional(),
      real_name: z.string().optional(),
      team_id: z.string().optional(),
      profile: z
        .object({
          display_name: z.string().optional(),
          real_name: z.string().optional(),
          email: z.string().optional(),
        })
        .partial()
        .optional(),
    })
    .optional(),
});

/** Reads a `users.info` answer into what Heed keeps about a person (pure). */
export function profileFromUserInfo(answer: unknown): SlackProfile {
  const user = userInfoSchema.safeParse(answer).data?.user;
  if (!user) return {};
  const name = [user.profile?.display_name, user.profile?.real_name, user.real_name, user.name].find(
    (candidate) => candidate !== undefined && candidate.trim() !== '',
  );
  return {
    ...(name ? { name } : {}),
    ...(user.profile?.email ? { email: user.profile.email } : {}),
    ...(user.team_id ? { teamId: user.team_id } : {}),
  };
}

interface Cached {
  readonly profile: Promise<SlackProfile>;
  readonly expiresAt: number;
}

export interface UserDirectoryOptions {
  readonly client: webApi.WebClient;
  /** Our own workspace (from `auth.test`): people of other teams get their organisation's name. */
  readonly homeTeamId?: () => string | undefined;
  readonly logger: Logger;
  readonly ttlMs?: number;
  /** How long a failed lookup is remembered as "unknown" before asking Slack again. */
  readonly failureTtlMs?: number;
  readonly maxEntries?: number;
  readonly now?: () => number;
}

const teamInfoSchema = z.object({ team: z.object({ name: z.string().min(1) }).optional() });

/**
 * Names, e-mails and home teams from `users.info`, cached per user, and the organisation of Slack
 * Connect customers from `team.info`, cached per team. A lookup never blocks intake: when Slack fails,
 * the message goes on without a name.
 */
export class UserDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly teams = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: UserDirectoryOptions) {}

  lookup(userId: string): Promise<SlackProfile> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    const profile = this.fetch(userId, now);
    this.store(userId, { profile, expiresAt: now + (this.options.ttlMs ?? 60 * 60_000) });
    return profile;
  }

  private async fetch(userId: string, startedAt: number): Promise<SlackProfile> {
    try {
      const profile = profileFromUserInfo(await this.options.client.users.info({ user: userId }));
      const home = this.options.homeTeamId?.();
      if (!profile.teamId || home === undefined || profile.teamId === home) return profile;
      const organisation = await this.teamName(profile.teamId);
      return organisation ? { ...profile, organisation } : profile;
    } catch (error) {
      this.options.logger.warn({ err: error, user: userId }, 'users.info failed; going on without a name');
      const retryAt = startedAt + (this.options.failureTtlMs ?? 60_000);
      this.store(userId, { profile: Promise.resolve({}), expiresAt: retryAt });
      return {};
    }
  }

  /** An organisation's name, asked once per team; without the `team:read` scope, none (logged once). */
  private teamName(teamId: string): Promise<string | undefined> {
    let name = this.teams.get(teamId);
    if (!name) {
      name = this.options.client.team
        .info({ team: teamId })
        .then((answer) => teamInfoSchema.safeParse(answer).data?.team?.name)
        .catch((error: unknown) => {
          this.options.logger.warn(
            { err: error, team: teamId },
            "team.info failed (is the team:read scope granted?); customers' organisations go unnamed",
          );
          return undefined;
        });
      this.teams.set(teamId, name);
      if (this.teams.size > 10_000) this.teams.delete(this.teams.keys().next().value!);
    }
    return name;
  }

  private store(userId: string, entry: Cached): void {
    this.cache.delete(userId);
    this.cache.set(userId, entry);
    if (this.cache.size > (this.options.maxEntries ?? 10_000)) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }
}
