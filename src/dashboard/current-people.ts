/**
 * Who a dashboard visitor is now. A session remembers the person as the platform described them when
 * they signed in, roles included, and a session lasts 12 hours; but a Discord role can be taken away
 * in the meantime. So a person's roles are read again from the platform once the ones Heed holds are
 * older than {@link ROLES_FRESH_MS}: someone removed from a staff role loses the dashboard within
 * minutes. If the platform cannot say, the roles last read serve for up to {@link ROLES_GRACE_MS} after
 * they were read (a short outage does not lock the team out); after that the visitor is refused until
 * it answers again. People on a platform without roles (Slack) are as their session says.
 */
import { LRUCache } from 'lru-cache';
import type { Clock } from '../core/clock.ts';
import type { Platform } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { PersonFacts } from '../ports/inbound-port.ts';
import type { PersonLookup } from '../ports/person-lookup.ts';

/** How long roles read from the platform are trusted before they are read again. */
export const ROLES_FRESH_MS = 5 * 60_000;
/** How long roles last read still serve while the platform cannot be asked. */
export const ROLES_GRACE_MS = 60 * 60_000;
/** People whose roles are held in memory (least recently seen out first). */
const KNOWN_PEOPLE = 10_000;

interface Confirmed {
  readonly person: PersonFacts;
  /** When the platform last described them so. */
  readonly at: number;
}

export class CurrentPeople {
  private readonly known = new LRUCache<string, Confirmed>({ max: KNOWN_PEOPLE });
  /** Lookups in flight, so a page and its event stream opening at once ask the platform once. */
  private readonly asking = new Map<string, Promise<PersonFacts>>();

  constructor(
    private readonly lookups: Partial<Record<Platform, PersonLookup>>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * `person` as they are now, given as the platform described them at `since` (their sign-in), or
   * undefined when the platform cannot be asked and what Heed last heard is too old to rely on.
   */
  async current(person: PersonFacts, since: number): Promise<PersonFacts | undefined> {
    const lookup = this.lookups[person.platform];
    if (!lookup) return person;
    const key = `${person.platform}:${person.id}`;
    const held = this.known.get(key);
    const last: Confirmed = held && held.at >= since ? held : { person, at: since };
    const now = this.clock.now();
    if (now - last.at < ROLES_FRESH_MS) return last.person;
    try {
      const fresh = await this.ask(key, person, lookup);
      const named = fresh.name || !person.name ? fresh : { ...fresh, name: person.name };
      this.known.set(key, { person: named, at: now });
      return named;
    } catch (error) {
      const usable = now - last.at < ROLES_GRACE_MS;
      this.logger.warn(
        {
          err: error,
          platform: person.platform,
          person: person.id,
          rolesReadAt: new Date(last.at).toISOString(),
        },
        usable
          ? 'could not read a dashboard visitor’s roles; using the ones last read'
          : 'could not read a dashboard visitor’s roles, and the last ones are too old: refused',
      );
      return usable ? last.person : undefined;
    }
  }

  private ask(key: string, person: PersonFacts, lookup: PersonLookup): Promise<PersonFacts> {
    let asking = this.asking.get(key);
    if (!asking) {
      asking = lookup(person).finally(() => this.asking.delete(key));
      this.asking.set(key, asking);
    }
    return asking;
  }
}
