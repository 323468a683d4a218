/**
 * Who a dashboard visitor is now (`CurrentPeople`): roles from sign-in serve for 5 minutes, then the
 * platform is asked again; a platform that cannot answer is covered by the roles last read for an hour,
 * then the visitor is refused. The platform lookup is a port the adapter provides; here a scripted one.
 */
import { describe, expect, it } from 'vitest';
import { CurrentPeople, ROLES_FRESH_MS, ROLES_GRACE_MS } from '../../src/dashboard/current-people.ts';
import type { PersonFacts } from '../../src/ports/inbound-port.ts';
import { FakeClock } from '../doubles/fake-clock.ts';
import { capturedLogger } from '../support/captured-logger.ts';

const SIGNED_IN = Date.UTC(2026, 11, 4, 9, 0);
const RILEY: PersonFacts = {
  platform: 'discord',
  id: '1700000000000000002',
  roles: ['staff'],
  name: 'Riley',
};

function world() {
  const clock = new FakeClock(SIGNED_IN);
  const { logger, lines } = capturedLogger('info');
  const platform = { roles: ['staff'] as string[], down: false, asked: 0 };
  const people = new CurrentPeople(
    {
      discord: async (person) => {
        platform.asked += 1;
        if (platform.down) throw new Error('Discord answered 503');
        return { platform: 'discord', id: person.id, roles: [...platform.roles] };
      },
    },
    clock,
    logger,
  );
  return { clock, lines, platform, people };
}

describe('CurrentPeople', () => {
  it('trusts the roles from sign-in for 5 minutes, then reads them again and keeps the name', async () => {
    const { clock, platform, people } = world();
    platform.roles = [];
    clock.advance(ROLES_FRESH_MS - 1);
    expect(await people.current(RILEY, SIGNED_IN)).toEqual(RILEY);
    expect(platform.asked).toBe(0);

    clock.advance(1);
    expect(await people.current(RILEY, SIGNED_IN)).toEqual({ ...RILEY, roles: [] });
    expect(platform.asked).toBe(1);
    // Read again: held for the next 5 minutes.
    platform.roles = ['staff'];
    clock.advance(ROLES_FRESH_MS - 1);
    expect((await people.current(RILEY, SIGNED_IN))?.roles).toEqual([]);
    clock.advance(1);
    expect((await people.current(RILEY, SIGNED_IN))?.roles).toEqual(['staff']);
    expect(platform.asked).toBe(2);
  });

  it('takes a newer sign-in’s roles over older ones held', async () => {
    const { clock, platform, people } = world();
    platform.roles = [];
    clock.advance(ROLES_FRESH_MS);
    expect((await people.current(RILEY, SIGNED_IN))?.roles).toEqual([]);
    const later = clock.now() + 60_000;
    clock.advance(60_000);
    expect((await people.current(RILEY, later))?.roles).toEqual(['staff']);
    expect(platform.asked).toBe(1);
  });

  it('asks once for requests that arrive together', async () => {
    const { clock, platform, people } = world();
    clock.advance(ROLES_FRESH_MS);
    await Promise.all([people.current(RILEY, SIGNED_IN), people.current(RILEY, SIGNED_IN)]);
    expect(platform.asked).toBe(1);
  });

  it('covers a platform outage with the roles last read for an hour, then refuses, and says so', async () => {
    const { clock, lines, platform, people } = world();
    platform.down = true;
    clock.advance(ROLES_GRACE_MS - 1);
    expect(await people.current(RILEY, SIGNED_IN)).toEqual(RILEY);
    expect(lines.at(-1)).toContain('using the ones last read');
    clock.advance(1);
    expect(await people.current(RILEY, SIGNED_IN)).toBeUndefined();
    expect(lines.at(-1)).toContain('too old: refused');
    // Back up: read again at once.
    platform.down = false;
    expect(await people.current(RILEY, SIGNED_IN)).toEqual(RILEY);
  });

  it('takes people of a platform without roles as their session says', async () => {
    const { clock, platform, people } = world();
    const alex: PersonFacts = { platform: 'slack', id: 'U0ALEX', name: 'Alex' };
    clock.advance(ROLES_GRACE_MS * 2);
    expect(await people.current(alex, SIGNED_IN)).toEqual(alex);
    expect(platform.asked).toBe(0);
  });
});
