import { z } from 'zod';
import type { TeamConfig } from '../config/schema.ts';
import { resolveAccess } from '../core/access-resolver.ts';
import { isStaffOf } from '../domain/access.ts';
import { PLATFORMS, type Platform, platformName } from '../domain/refs.ts';
import { bold, code, customerText, joinRich, type Rich, rich, time } from '../messages/rich-text.ts';
import type { StoredOverride } from '../oncall/on-call.ts';
import { PERIOD_TOKEN, parsePeriod } from '../oncall/override-period.ts';
import type { CommandReply } from '../ports/inbound-port.ts';
import { args, type CommandContext, defineCommand } from './command.ts';

const ACTIONS = ['now', 'override', 'overrides', 'remove'] as const;

const reply = (text: Rich): CommandReply => ({ visibility: 'ephemeral', text });
const teamName = (team: TeamConfig) => team.name ?? team.id;

/** The teams a command is about: the one named, else the person's own, else every team. */
function teamsFor(context: CommandContext, team: string | undefined): TeamConfig[] | CommandReply {
  const teams = context.core.config.teams;
  if (team !== undefined) {
    const found = teams.find((t) => t.id === team);
    if (found) return [found];
    return reply(
      rich`There is no team "${team}". Teams: ${teams.map((t) => t.id).join(', ')}. (To change who is on call: ${code('/heed oncall override|overrides|remove')}.)`,
    );
  }
  const mine = teams.filter((t) => isStaffOf(context.access, t.id));
  return mine.length > 0 ? mine : [...teams];
}

/** Who is on call now and next for each team, on each platform its schedule names someone. */
function describeNow(context: CommandContext, teams: readonly TeamConfig[]): CommandReply {
  const roster = context.core.onCall.roster();
  const now = context.core.clock.now();
  const lines: Rich[] = [];
  for (const team of teams) {
    const schedule = roster.scheduleOfTeam(team.id);
    if (!schedule) {
      lines.push(
        rich`• ${bold(teamName(team))}: no on-call set (give the team ${code('onCall')} in the config)`,
      );
      continue;
    }
    const platforms = PLATFORMS.filter((p) => schedule.layers.some((layer) => layer.people[p].length > 0));
    for (const platform of platforms) {
      const state = roster.describe(schedule.id, platform, now);
      const where = platforms.length > 1 ? ` on ${platformName(platform)}` : '';
      const who = state?.now
        ? rich`${{ platform, id: state.now.user }} (${state.now.layer === 'override' ? `override #${state.now.override}` : state.now.layer})`
        : rich`nobody`;
      const next = roster.next(team.id, platform, now);
      const until = state?.next ? rich` until ${time(state.next.at)}` : rich``;
      const then = next ? rich`; next: ${next.user} from ${time(next.at)}` : rich``;
      lines.push(rich`• ${bold(teamName(team))}${where}: ${who}${until}${then}`);
    }
  }
  return reply(rich`${bold('On call now')}\n${joinRich(lines, '\n')}`);
}

function overrideLine(override: StoredOverride, teams: string): Rich {
  const why = override.reason ? rich`: ${customerText(override.reason)}` : rich``;
  return rich`• ${bold(`#${override.id}`)} ${{ platform: override.platform, id: override.user }} covers ${teams} on ${platformName(override.platform)}, ${time(override.from)} → ${time(override.to)}, set by ${override.setBy}${why}`;
}

async function listOverrides(context: CommandContext, teams: readonly TeamConfig[]): Promise<CommandReply> {
  const roster = context.core.onCall.roster();
  const schedules = [...new Set(teams.flatMap((team) => roster.scheduleOfTeam(team.id)?.id ?? []))];
  const overrides = await context.core.onCall.upcoming(schedules);
  if (overrides.length === 0) {
    return reply(
      rich`No overrides now or ahead. Set one with ${code('/heed oncall override @user 4h [team]')}.`,
    );
  }
  const lines = overrides.map((override) =>
    overrideLine(override, roster.teamsOf(override.schedule).join(', ') || override.schedule),
  );
  return reply(
    rich`${bold('On-call overrides')}\n${joinRich(lines, '\n')}\nRemove one with ${code('/heed oncall remove <id>')}.`,
  );
}

interface OverrideArgs {
  readonly user?: { platform: Platform; id: string; roles?: string[] | undefined } | undefined;
  readonly period?: string | undefined;
  readonly team?: string | undefined;
  readonly reason?: string | undefined;
}

async function setOverride(context: CommandContext, input: OverrideArgs): Promise<CommandReply> {
  const { core, person } = context;
  const usage = code(
    '/heed oncall override @user <4h | 18:00–09:00 | 2026-12-24–2026-12-27> [team] [reason]',
  );
  if (!input.user) return reply(rich`Say who covers: ${usage}`);
  if (!input.period) return reply(rich`Say for how long: ${usage}`);
  // In text, a reason's first word lands where the team goes: an unknown team is read as the reason.
  let { team, reason } = input;
  const known = team !== undefined && core.config.teams.some((t) => t.id === team);
  if (team !== undefined && !known) {
    reason = [team, reason].filter(Boolean).join(' ');
    team = undefined;
  }
  const roster = core.onCall.roster();
  let target: TeamConfig | undefined;
  if (team !== undefined) {
    target = core.config.teams.find((t) => t.id === team);
  } else {
    const mine = core.config.teams.filter(
      (t) => isStaffOf(context.access, t.id) && roster.scheduleOfTeam(t.id),
    );
    if (mine.length !== 1) {
      const choices = (mine.length > 0 ? mine : core.config.teams).map((t) => t.id).join(', ');
      return reply(rich`Which team? Add it after the time span (one of: ${choices}). ${usage}`);
    }
    target = mine[0];
  }
  if (!target) return reply(rich`Which team? ${usage}`);
  if (!isStaffOf(context.access, target.id)) {
    return reply(rich`Only ${teamName(target)}'s staff and managers can change its on-call.`);
  }
  const schedule = roster.scheduleOfTeam(target.id);
  if (!schedule) {
    return reply(
      rich`${teamName(target)} has no on-call set; give the team ${code('onCall')} in the config first.`,
    );
  }
  const covering = resolveAccess(core.config, input.user);
  if (!isStaffOf(covering, target.id)) {
    return reply(
      rich`${input.user} is not on ${teamName(target)}'s staff, so they cannot cover its on-call. Add them to the team's staff in the config, or pick a teammate.`,
    );
  }
  const now = core.clock.now();
  const span = parsePeriod(input.period, now, schedule.timezone);
  if ('problem' in span) return reply(rich`That didn't work — ${span.problem}.`);
  const before = roster.onSchedule(schedule.id, input.user.platform, Math.max(now, span.from));
  const stored = await core.onCall.add({
    schedule: schedule.id,
    platform: input.user.platform,
    user: input.user.id,
    from: span.from,
    to: span.to,
    reason: reason?.trim() || undefined,
    setBy: { platform: person.platform, id: person.id },
  });
  const instead = before && before.id !== input.user.id ? rich` instead of ${before}` : rich``;
  const shared =
    roster.teamsOf(schedule.id).length > 1
      ? rich` (the ${schedule.name} schedule, shared by ${roster.teamsOf(schedule.id).join(', ')})`
      : rich``;
  if (input.user.platform !== person.platform || input.user.id !== person.id) {
    const why = stored.reason ? rich` Reason: ${customerText(stored.reason)}` : rich``;
    await core.chat
      .dm(input.user, {
        text: rich`📟 You're covering on-call for ${bold(teamName(target))} from ${time(stored.from)} until ${time(stored.to)}, set by ${{ platform: person.platform, id: person.id }}.${why}`,
      })
      .catch((error: unknown) =>
        core.logger.warn({ err: error, override: stored.id }, 'could not tell the covering person'),
      );
  }
  return reply(
    rich`✅ Override ${bold(`#${stored.id}`)}: ${input.user} is on call for ${bold(teamName(target))}${shared} on ${platformName(input.user.platform)} from ${time(stored.from)} until ${time(stored.to)}${instead}. Remove it with ${code(`/heed oncall remove ${stored.id}`)}.`,
  );
}

async function removeOverride(context: CommandContext, id: string | undefined): Promise<CommandReply> {
  const { core, person } = context;
  if (id === undefined)
    return reply(
      rich`Which override? ${code('/heed oncall remove <id>')}; ${code('/heed oncall overrides')} lists them.`,
    );
  const found = await core.onCall.get(Number(id));
  if (!found || found.removedAt !== undefined || found.to <= core.clock.now()) {
    return reply(
      rich`There is no override #${id} in force or ahead. ${code('/heed oncall overrides')} lists them.`,
    );
  }
  const teams = core.onCall.roster().teamsOf(found.schedule);
  if (!teams.some((team) => isStaffOf(context.access, team))) {
    return reply(rich`Only the staff and managers of ${teams.join(', ')} can remove override #${id}.`);
  }
  await core.onCall.remove(found.id, { platform: person.platform, id: person.id });
  return reply(
    rich`🗑️ Override #${id} removed: ${{ platform: found.platform, id: found.user }} no longer covers ${teams.join(', ')}.`,
  );
}

export const oncallCommand = defineCommand({
  name: 'oncall',
  summary: 'Who is on call now and next; cover for someone with an override, list or remove overrides.',
  access: 'staff',
  usage: [
    '/heed oncall [team]',
    '/heed oncall override @user <4h | 18:00–09:00> [team] [reason]',
    '/heed oncall overrides [team]',
    '/heed oncall remove <id>',
  ],
  args: [
    {
      name: 'action',
      kind: 'word',
      description: 'now (default), override, overrides or remove',
      optional: true,
      choices: ACTIONS,
    },
    {
      name: 'id',
      kind: 'word',
      description: 'The override to remove, e.g. 3',
      optional: true,
      pattern: /^#?\d{1,9}$/,
    },
    { name: 'user', kind: 'user', description: 'Who covers (for override)', optional: true },
    {
      name: 'period',
      kind: 'word',
      description: 'For how long: 4h, 2d, 18:00–09:00 or 2026-12-24–2026-12-27 (for override)',
      optional: true,
      pattern: PERIOD_TOKEN,
    },
    { name: 'team', kind: 'word', description: 'The team (optional when you are on one)', optional: true },
    {
      name: 'reason',
      kind: 'text',
      description: 'Why (for override), e.g. covering a sick day',
      optional: true,
      rest: true,
    },
  ],
  schema: z.object({
    action: z.enum(ACTIONS, { error: 'say now, override, overrides or remove' }).default('now'),
    id: z
      .string()
      .regex(/^#?\d{1,9}$/, 'an override id is a number, e.g. 3')
      .transform((value) => value.replace('#', ''))
      .optional(),
    user: args.user('who covers, e.g. @alex').optional(),
    period: z.string().trim().min(1).optional(),
    team: z.string().trim().min(1).optional(),
    reason: args.optionalText,
  }),
  async run(context, input) {
    if (input.action === 'override') return setOverride(context, input);
    if (input.action === 'remove') return removeOverride(context, input.id);
    const teams = teamsFor(context, input.team);
    if (!Array.isArray(teams)) return teams as CommandReply;
    return input.action === 'overrides' ? listOverrides(context, teams) : describeNow(context, teams);
  },
});
