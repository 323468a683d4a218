/**
 * Where the `Heed` class used to live, kept only while tests, the demo and the bench move their imports
 * to the new homes: `src/boot/heed.ts` (the class), `src/ports/inbound-port.ts` (the message types) and
 * `src/intake/conversation-keys.ts` (`issueIdFor`). Nothing under src/ or adapters/ imports it.
 */
export { Heed, type HeedDeps } from '../boot/heed.ts';
export { issueIdFor } from '../intake/conversation-keys.ts';
export type { OperationResult } from '../operations/operate.ts';
export type { InboundMessage, IntakeHooks, IntakeOutcome } from '../ports/inbound-port.ts';
