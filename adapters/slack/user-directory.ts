import type { webApi } from '@slack/bolt';
import type { Keyv } from 'keyv';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Logger } from '../../src/logging/logger.ts';
import type { SlackProfile } from './from-slack.ts';
import { SharedKeys } from './shared-keys.ts';

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
  /**
   * Shared mode: a keyv every instance sees. Lookups (and failed ones, for as long) are written there with
   * the same TTLs and read there before asking Slack, so the instances ask once between them.
   */
  readonly shared?: Keyv | undefined;
}

const teamInfoSchema = z.object({ team: z.object({ name: z.string().min(1) }).optional() });

// What is kept of a person, read back from the shared keyv.
const profileSchema = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  teamId: z.string().optional(),
  organisation: z.string().optional(),
});
const teamNameSchema = z.string().min(1);

const DEFAULT_TTL_MS = 60 * 60_000;
const DEFAULT_FAILURE_TTL_MS = 60_000;

/**
 * Names, e-mails and home teams from `users.info`, cached per user, and the organisation of Slack
 * Connect customers from `team.info`, cached per team. A lookup never blocks intake: when Slack fails,
 * the message goes on without a name. Memory comes first; in shared mode the instances' shared keyv is
 * asked next, then Slack.
 */
export class UserDirectory {
  private readonly cache: LRUCache<string, Cached>;
  private readonly teams = new LRUCache<string, Promise<string | undefined>>({ max: 10_000 });
  private readonly shared: SharedKeys | undefined;

  constructor(private readonly options: UserDirectoryOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.shared = options.shared ? new SharedKeys(options.shared, options.logger) : undefined;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  lookup(userId: string): Promise<SlackProfile> {
    const now = this.now();
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > now) return cached.profile;
    const profile = this.shared ? this.fromShared(this.shared, userId, now) : this.fetch(userId, now);
    this.store(userId, { profile, expiresAt: now + (this.options.ttlMs ?? DEFAULT_TTL_MS) });
    return profile;
  }

  // Another instance's lookup, kept here for as long as it lives there; else Slack.
  private async fromShared(shared: SharedKeys, userId: string, startedAt: number): Promise<SlackProfile> {
    const known = await shared.read(`user:${userId}`, profileSchema);
    if (!known) return this.fetch(userId, startedAt);
    const profile: SlackProfile = known.value;
    if (known.expires !== undefined) {
      const left = Math.max(0, known.expires - Date.now());
      this.store(userId, { profile: Promise.resolve(profile), expiresAt: startedAt + left });
    }
    return profile;
  }

  private async fetch(userId: string, startedAt: number): Promise<SlackProfile> {
    try {
      const found = profileFromUserInfo(await this.options.client.users.info({ user: userId }));
      const home = this.options.homeTeamId?.();
      const organisation =
        found.teamId && home !== undefined && found.teamId !== home
          ? await this.teamName(found.teamId)
          : undefined;
      const profile = organisation ? { ...found, organisation } : found;
      // Not awaited: intake goes on while the other instances are told.
      void this.shared?.write(`user:${userId}`, profile, this.options.ttlMs ?? DEFAULT_TTL_MS);
      return profile;
    } catch (error) {
      this.options.logger.warn({ err: error, user: userId }, 'users.info failed; going on without a name');
      const failureTtlMs = this.options.failureTtlMs ?? DEFAULT_FAILURE_TTL_MS;
      this.store(userId, { profile: Promise.resolve({}), expiresAt: startedAt + failureTtlMs });
      // The other instances wait as long before asking Slack (a rate limit is the workspace's, not ours).
      void this.shared?.write(`user:${userId}`, {}, failureTtlMs);
      return {};
    }
  }

  /** An organisation's name, asked once per team; without the `team:read` scope, none (logged once). */
  private teamName(teamId: string): Promise<string | undefined> {
    let name = this.teams.get(teamId);
    if (!name) {
      name = this.askTeam(teamId);
      this.teams.set(teamId, name);
    }
    return name;
  }

  private async askTeam(teamId: string): Promise<string | undefined> {
    const known = await this.shared?.read(`team:${teamId}`, teamNameSchema);
    if (known) return known.value;
    try {
      const name = teamInfoSchema.safeParse(await this.options.client.team.info({ team: teamId })).data?.team
        ?.name;
      if (name) void this.shared?.write(`team:${teamId}`, name, this.options.ttlMs ?? DEFAULT_TTL_MS);
      return name;
    } catch (error) {
      this.options.logger.warn(
        { err: error, team: teamId },
        "team.info failed (is the team:read scope granted?); customers' organisations go unnamed",
      );
      return undefined;
    }
  }

  private store(userId: string, entry: Cached): void {
    this.cache.set(userId, entry);
  }
}
