import { type Issue, issueRef } from '../domain/issue.ts';
import { isPlatform } from '../domain/refs.ts';
import {
  bold,
  code,
  customerText,
  joinRich,
  type Rich,
  rich,
  time,
  truncate,
} from '../messages/rich-text.ts';
import { valueLabel } from './customer-value.ts';
import { formatAgo, ratingEmoji } from './history-line.ts';
import { identityKey } from './identity.ts';
import { type CustomerProfile, issueCount } from './profile.ts';

/** How many of the newest notes `/heed customer` shows. */
export const NOTES_SHOWN = 5;
/** How many of the newest issues `/heed customer` shows. */
export const ISSUES_SHOWN = 5;

const SUBJECT_SHOWN = 80;

/** The name staff know a profile by: its name, else its first identity. */
export function profileName(profile: Pick<CustomerProfile, 'name' | 'identities'>): string {
  return profile.name ?? identityKey(profile.identities[0]!);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** `3 issues · 2 notes` for replies about a profile. */
export function profileTally(profile: CustomerProfile): string {
  return `${plural(issueCount(profile), 'issue')} · ${plural(profile.notes.length, 'note')}`;
}

function heading(profile: CustomerProfile): Rich {
  const details = [
    profile.organisation ? rich`${customerText(profile.organisation)}` : undefined,
    profile.tier ? rich`${profile.tier} tier` : undefined,
    profile.value !== undefined ? rich`${bold(valueLabel(profile.value)!)}` : undefined,
  ].filter((part): part is Rich => part !== undefined);
  return rich`${bold('Customer')} ${customerText(profileName(profile))}${details.length ? rich` · ${joinRich(details, ' · ')}` : ''}`;
}

function identities(profile: CustomerProfile): Rich {
  const ids = joinRich(
    profile.identities.map((identity) => rich`${code(identityKey(identity))}`),
    ', ',
  );
  const emails = profile.emails.length
    ? rich` · e-mail ${joinRich(
        profile.emails.map((email) => rich`${customerText(email)}`),
        ', ',
      )}`
    : '';
  return rich`Identities: ${ids}${emails}`;
}

function contact(profile: CustomerProfile, rating: { score: 'up' | 'down' } | undefined, now: number): Rich {
  const parts: Rich[] = [rich`${plural(issueCount(profile), 'issue')}`];
  if (profile.lastContactAt !== undefined) {
    parts.push(
      rich`last contact ${time(profile.lastContactAt)} (${formatAgo(Math.max(0, now - profile.lastContactAt))})`,
    );
  }
  parts.push(rating ? rich`last rated ${ratingEmoji(rating.score)}` : rich`not rated yet`);
  return joinRich(parts, ' · ');
}

function notes(profile: CustomerProfile): Rich {
  if (profile.notes.length === 0) return rich`No notes yet. Add one with ${code('/heed note @user <text>')}.`;
  const shown = profile.notes
    .slice(-NOTES_SHOWN)
    .map((note) => rich`• ${time(note.at)} ${note.by}: ${customerText(note.text)}`);
  const more = profile.notes.length > NOTES_SHOWN ? ` (newest ${NOTES_SHOWN})` : '';
  return rich`${bold(`Notes (${profile.notes.length})${more}`)}\n${joinRich(shown, '\n')}`;
}

function recent(issues: readonly Issue[]): Rich {
  if (issues.length === 0) return rich`No issues yet.`;
  const lines = issues.map(
    (issue) =>
      rich`• ${bold(issueRef(issue))} ${issue.status} · opened ${time(issue.openedAt)} · ${customerText(truncate(issue.subject, SUBJECT_SHOWN))}`,
  );
  return rich`${bold('Recent issues')}\n${joinRich(lines, '\n')}`;
}

function linked(profile: CustomerProfile): Rich | undefined {
  const last = profile.links.at(-1);
  if (!last) return undefined;
  const by = isPlatform(last.linkedBy.platform)
    ? rich`${{ platform: last.linkedBy.platform, id: last.linkedBy.id }}`
    : rich`Heed`;
  const why = last.reason ? rich` (${last.reason})` : '';
  return rich`Last linked by ${by} at ${time(last.linkedAt)}${why}.`;
}

/**
 * What `/heed customer` shows: name, organisation and tier; identities and e-mails; issue count, last
 * contact and last rating; the newest notes; the newest issues with their status; the last link.
 * Customer-provided values are marked as customer text, so they never ping or format. Pure.
 */
export function describeProfile(
  profile: CustomerProfile,
  recentIssues: readonly Issue[],
  rating: { score: 'up' | 'down' } | undefined,
  now: number,
): Rich {
  const sections = [
    heading(profile),
    identities(profile),
    contact(profile, rating, now),
    notes(profile),
    recent(recentIssues.slice(0, ISSUES_SHOWN)),
    linked(profile),
  ].filter((part): part is Rich => part !== undefined);
  return joinRich(sections, '\n');
}
