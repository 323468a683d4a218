import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Issue } from '../domain/issue.ts';
import {
  type ActorRef,
  actorRefSchema,
  platformSchema,
  type UserRef,
  userRefSchema,
} from '../domain/refs.ts';
import { identityKey } from './identity.ts';

/** The schema version every stored profile carries (`v`). */
export const PROFILE_SCHEMA_VERSION = 1;

/** How many issues a profile lists; older ones are only counted. */
export const PROFILE_ISSUE_LIMIT = 500;
/** How many notes a profile keeps (the newest). */
export const PROFILE_NOTE_LIMIT = 200;

/** A satisfaction rating: thumbs up or down. */
export const ratingScoreSchema = z.enum(['up', 'down']);
export type RatingScore = z.infer<typeof ratingScoreSchema>;

const profileIdentitySchema = userRefSchema.extend({
  name: z.string().optional(),
  firstSeenAt: z.number().int(),
  lastSeenAt: z.number().int().optional(),
});

const profileIssueSchema = z.object({
  id: z.string().min(1),
  number: z.number().int().positive(),
  openedAt: z.number().int(),
  platform: platformSchema,
});
/** One issue in a person's history. */
export type ProfileIssue = z.infer<typeof profileIssueSchema>;

/** An issue as its customer's profile lists it. */
export function profileIssueOf(
  issue: Pick<Issue, 'id' | 'number' | 'openedAt' | 'conversation'>,
): ProfileIssue {
  return {
    id: issue.id,
    number: issue.number,
    openedAt: issue.openedAt,
    platform: issue.conversation.platform,
  };
}

const profileNoteSchema = z.object({ at: z.number().int(), by: userRefSchema, text: z.string() });
/** A staff note on a person (never shown to them). */
export type ProfileNote = z.infer<typeof profileNoteSchema>;

/** An audit entry of a link: who joined which identities, when, and which profile was folded in. */
const linkAuditSchema = z.object({
  linkedBy: actorRefSchema,
  linkedAt: z.number().int(),
  identities: z.array(userRefSchema),
  mergedProfile: z.string().optional(),
  reason: z.string().optional(),
});
/** One entry of a profile's link audit. */
export type LinkAudit = z.infer<typeof linkAuditSchema>;

/** One person across platforms: their identities, e-mails, organisation, tier, notes and history. */
export const customerProfileSchema = z.object({
  v: z.literal(PROFILE_SCHEMA_VERSION),
  id: z.string().min(1),
  name: z.string().optional(),
  organisation: z.string().optional(),
  tier: z.string().optional(),
  /** What the person is worth (say ARR), set by staff or imported; their tier's value otherwise. */
  value: z.number().nonnegative().optional(),
  /** When Heed last asked the person the NPS question (at most once per 90 days). */
  npsAskedAt: z.number().int().optional(),
  identities: z.array(profileIdentitySchema).min(1),
  /** Lower-cased. */
  emails: z.array(z.string()),
  notes: z.array(profileNoteSchema),
  /** Issues opened by this person, oldest first (at most {@link PROFILE_ISSUE_LIMIT}). */
  issues: z.array(profileIssueSchema),
  /** Issues dropped from `issues` to keep the document small; they still count. */
  olderIssues: z.number().int().nonnegative(),
  lastContactAt: z.number().int().optional(),
  lastRating: z
    .object({ score: ratingScoreSchema, at: z.number().int(), issueNumber: z.number().int().positive() })
    .optional(),
  links: z.array(linkAuditSchema),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  revision: z.number().int().nonnegative(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

/** A Heed 0.1 pointer document (`identities`, `customer-emails`): which profile an identity or e-mail belongs to. */
export const profilePointerSchema = z.object({ v: z.literal(1), profileId: z.string().min(1) });

/** What Heed learns about a person each time they write. */
export interface Contact {
  readonly user: UserRef;
  readonly at: number;
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly organisation?: string | undefined;
  readonly tier?: string | undefined;
  /** The issue this contact opened, added to the person's history in the same write. */
  readonly opened?: ProfileIssue | undefined;
}

/** A stable profile id for the identity that first created it, so a retried create finds the same one. */
export function profileIdFor(user: UserRef): string {
  return `cus_${createHash('sha256').update(identityKey(user)).digest('base64url').slice(0, 16)}`;
}

/** A new profile holding one identity. */
export function newProfile(user: UserRef, at: number): CustomerProfile {
  return {
    v: PROFILE_SCHEMA_VERSION,
    id: profileIdFor(user),
    identities: [{ platform: user.platform, id: user.id, firstSeenAt: at }],
    emails: [],
    notes: [],
    issues: [],
    olderIssues: 0,
    links: [],
    createdAt: at,
    updatedAt: at,
    revision: 0,
  };
}

/** Whether the profile holds the identity. */
export function hasIdentity(profile: Pick<CustomerProfile, 'identities'>, user: UserRef): boolean {
  return profile.identities.some((i) => i.platform === user.platform && i.id === user.id);
}

/** Adds an identity (no-op when present). */
export function withIdentity(profile: CustomerProfile, user: UserRef, at: number): CustomerProfile {
  if (hasIdentity(profile, user)) return profile;
  return {
    ...profile,
    identities: [...profile.identities, { platform: user.platform, id: user.id, firstSeenAt: at }],
  };
}

/** Folds in what a message said about its author: name, e-mail, organisation, tier, last contact. */
export function applyContact(
  profile: CustomerProfile,
  contact: Contact,
  email: string | undefined,
): CustomerProfile {
  const known = withIdentity(profile, contact.user, contact.at);
  const identities = known.identities.map((i) =>
    i.platform === contact.user.platform && i.id === contact.user.id
      ? {
          ...i,
          ...(contact.name ? { name: contact.name } : {}),
          lastSeenAt: Math.max(i.lastSeenAt ?? contact.at, contact.at),
        }
      : i,
  );
  return {
    ...known,
    identities,
    ...(contact.name ? { name: contact.name } : {}),
    ...(contact.organisation ? { organisation: contact.organisation } : {}),
    ...(contact.tier ? { tier: contact.tier } : {}),
    emails: email && !known.emails.includes(email) ? [...known.emails, email] : known.emails,
    lastContactAt: Math.max(known.lastContactAt ?? contact.at, contact.at),
  };
}

/** Adds an issue to the history (once), keeping the list bounded. */
export function withIssue(profile: CustomerProfile, issue: ProfileIssue): CustomerProfile {
  if (profile.issues.some((i) => i.id === issue.id)) return profile;
  const issues = [...profile.issues, issue].sort((a, b) => a.openedAt - b.openedAt || a.number - b.number);
  const dropped = Math.max(0, issues.length - PROFILE_ISSUE_LIMIT);
  return { ...profile, issues: issues.slice(dropped), olderIssues: profile.olderIssues + dropped };
}

/** Adds a staff note, keeping the newest {@link PROFILE_NOTE_LIMIT}. */
export function withNote(profile: CustomerProfile, note: ProfileNote): CustomerProfile {
  return { ...profile, notes: [...profile.notes, note].slice(-PROFILE_NOTE_LIMIT) };
}

/** How many issues the person has opened in all. */
export function issueCount(profile: Pick<CustomerProfile, 'issues' | 'olderIssues'>): number {
  return profile.issues.length + profile.olderIssues;
}

function later<T extends { at: number }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.at > a.at ? b : a;
}

/**
 * Joins `other` into `keep`: identities, e-mails, notes and issues are united (notes and issues in
 * time order), the latest contact and rating win, `keep`'s name, organisation and tier win where set.
 * The audit entry records who linked what, and when. Pure.
 */
export function mergeProfiles(
  keep: CustomerProfile,
  other: CustomerProfile,
  audit: LinkRequest,
): CustomerProfile {
  let merged: CustomerProfile = keep;
  for (const identity of other.identities) {
    if (!hasIdentity(merged, identity)) merged = { ...merged, identities: [...merged.identities, identity] };
  }
  for (const issue of other.issues) merged = withIssue(merged, issue);
  const notes = [...keep.notes, ...other.notes].sort((a, b) => a.at - b.at).slice(-PROFILE_NOTE_LIMIT);
  const lastContactAt = Math.max(keep.lastContactAt ?? 0, other.lastContactAt ?? 0) || undefined;
  const rating = later(keep.lastRating, other.lastRating);
  const name = keep.name ?? other.name;
  const organisation = keep.organisation ?? other.organisation;
  const tier = keep.tier ?? other.tier;
  // What the person is worth: the kept profile's value, else the other's.
  const value = keep.value ?? other.value;
  // One person is asked NPS once per 90 days, whichever identity was asked.
  const npsAskedAt = Math.max(keep.npsAskedAt ?? 0, other.npsAskedAt ?? 0) || undefined;
  return {
    ...merged,
    ...(name ? { name } : {}),
    ...(organisation ? { organisation } : {}),
    ...(tier ? { tier } : {}),
    ...(value !== undefined ? { value } : {}),
    emails: [...new Set([...keep.emails, ...other.emails])],
    notes,
    olderIssues: merged.olderIssues + other.olderIssues,
    ...(lastContactAt !== undefined ? { lastContactAt } : {}),
    ...(rating ? { lastRating: rating } : {}),
    ...(npsAskedAt !== undefined ? { npsAskedAt } : {}),
    links: [...keep.links, ...other.links, linkAudit(audit, other.id !== keep.id ? other.id : undefined)],
    createdAt: Math.min(keep.createdAt, other.createdAt),
  };
}

/** What a link records: who, when, which identities, why. */
export interface LinkRequest {
  readonly by: ActorRef;
  readonly at: number;
  readonly identities: readonly UserRef[];
  readonly reason?: string | undefined;
}

/** The audit entry of a link (the profile's own record; profiles have no ledger). */
export function linkAudit(request: LinkRequest, mergedProfile?: string): LinkAudit {
  return {
    linkedBy: { platform: request.by.platform, id: request.by.id },
    linkedAt: request.at,
    identities: request.identities.map((u) => ({ platform: u.platform, id: u.id })),
    ...(mergedProfile ? { mergedProfile } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
  };
}
