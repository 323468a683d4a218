/**
 * LISTEN/NOTIFY between the instances sharing one PostgreSQL store. Channels are private to the store's
 * schema (NOTIFY is database-wide), so two Heeds in two schemas of one database never hear each other.
 * The listener has a connection of its own and reconnects by itself; after a gap it says so, because
 * notifications sent meanwhile are lost and the caller must re-read what it caches.
 */

import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Logger } from '../logging/logger.ts';
import type { HeedTables } from './tables.ts';

export interface Notifications {
  /** Sends `payload` (under 8,000 bytes) to every instance listening on `channel`, this one included. */
  notify(channel: string, payload: string): Promise<void>;
  /** The same NOTIFY inside a transaction: delivered when it commits, never if it rolls back. */
  notifyIn(trx: Transaction<HeedTables>, channel: string, payload: string): Promise<void>;
  /**
   * Listens on `channel` until the returned stop function is called. `reconnected` runs after the
   * connection was lost and came back: anything sent in between was missed.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    reconnected: () => void,
  ): Promise<() => Promise<void>>;
}

export interface NotificationOptions {
  readonly connectionString: string;
  /** The store's schema; `public` when unset. */
  readonly schema: string | undefined;
  /** Runs a query on the store's pool (for NOTIFY, which needs no connection of its own). */
  readonly query: (text: string, values: unknown[]) => Promise<unknown>;
  readonly logger?: Logger | undefined;
  readonly connectTimeoutMs: number;
}

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2_000;

export function pgNotifications(options: NotificationOptions): Notifications {
  const scoped = (channel: string) => `heed_${options.schema ?? 'public'}_${channel}`.slice(0, 63);
  return {
    async notify(channel, payload) {
      await options.query('select pg_notify($1, $2)', [scoped(channel), payload]);
    },
    async notifyIn(trx, channel, payload) {
      await sql`select pg_notify(${scoped(channel)}, ${payload})`.execute(trx);
    },
    async listen(channel, onMessage, reconnected) {
      const name = scoped(channel);
      let stopped = false;
      let client: pg.Client | undefined;
      let retry: NodeJS.Timeout | undefined;
      let failures = 0;

      const connect = async (): Promise<void> => {
        const next = new pg.Client({
          connectionString: options.connectionString,
          connectionTimeoutMillis: options.connectTimeoutMs,
        });
        next.on('notification', (message) => {
          if (message.channel === name && message.payload !== undefined) onMessage(message.payload);
        });
        // A lost connection: start again after a short wait, then tell the caller it missed messages.
        const lost = () => {
          if (client !== next || stopped) return;
          client = undefined;
          next.removeAllListeners('notification');
          next.end().catch(() => undefined);
          schedule();
        };
        next.on('error', lost);
        next.on('end', lost);
        try {
          await next.connect();
          await next.query(`listen "${name.replaceAll('"', '""')}"`);
        } catch (error) {
          await next.end().catch(() => undefined);
          throw error;
        }
        if (stopped) {
          await next.end().catch(() => undefined);
          return;
        }
        client = next;
      };
      const schedule = () => {
        if (stopped) return;
        const delay = Math.min(RETRY_MIN_MS * 2 ** failures, RETRY_MAX_MS);
        retry = setTimeout(() => {
          connect().then(
            () => {
              failures = 0;
              options.logger?.info({ channel }, 'listening to other instances again');
              reconnected();
            },
            () => {
              failures += 1;
              if (failures === 1)
                options.logger?.warn({ channel }, 'lost the notification connection; retrying');
              schedule();
            },
          );
        }, delay);
        retry.unref?.();
      };

      await connect();
      return async () => {
        stopped = true;
        if (retry) clearTimeout(retry);
        const current = client;
        client = undefined;
        await current?.end().catch(() => undefined);
      };
    },
  };
}
