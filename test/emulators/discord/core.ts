import type { CallLog } from './call-log.ts';
import type { CommandRegistry } from './commands.ts';
import type { FaultQueue } from './faults.ts';
import type { Gateway } from './gateway.ts';
import type { InteractionRegistry } from './interaction-registry.ts';
import type { DiscordStore } from './store.ts';
import type { DiscordEmulatorOptions } from './types.ts';

/** The emulator's shared internals, handed to routes and dispatch helpers. */
export interface EmulatorCore {
  options: DiscordEmulatorOptions;
  store: DiscordStore;
  gateway: Gateway;
  log: CallLog;
  faults: FaultQueue;
  interactions: InteractionRegistry;
  commands: CommandRegistry;
  /** `http://127.0.0.1:PORT` once listening. */
  origin: () => string;
}
