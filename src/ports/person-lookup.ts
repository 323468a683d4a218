import type { PersonFacts } from './inbound-port.ts';

/**
 * How a platform describes a person now, their roles read afresh (Discord: the member in each guild),
 * for access checks made away from an interaction, such as a web dashboard request. Throws when the
 * platform cannot say (unreachable, rate limited); someone the platform no longer knows has no roles.
 */
export type PersonLookup = (person: PersonFacts) => Promise<PersonFacts>;
