import type { Keyv } from 'keyv';
import type { z } from 'zod';
import type { Logger } from '../../src/logging/logger.ts';

/** A value read back from the shared keyv, with when it expires there (epoch ms), if it does. */
export interface SharedValue<T> {
  readonly value: T;
  readonly expires: number | undefined;
}

/**
 * Short-lived keys every Heed instance sees (shared mode: keyv on the store's `ttl_keys` table), behind
 * this instance's memory. What is read back is checked with a schema; a value of another shape, or a
 * store that does not answer, counts as absent (logged, without the value), so the caller goes on with
 * what it knows or asks Slack again. Writes never throw either: the shared copy only saves another
 * instance a lookup.
 */
export class SharedKeys {
  constructor(
    private readonly keyv: Keyv,
    private readonly logger: Logger,
  ) {}

  async read<T>(key: string, schema: z.ZodType<T>): Promise<SharedValue<T> | undefined> {
    let raw: { value?: unknown; expires?: number | null | undefined } | undefined;
    try {
      raw = await this.keyv.getRaw(key);
    } catch (error) {
      this.logger.warn({ err: error, key }, 'could not read a shared key; going on without it');
      return undefined;
    }
    if (raw === undefined || raw === null) return undefined;
    const parsed = schema.safeParse(raw.value);
    if (!parsed.success) {
      this.logger.warn({ key }, 'ignored a shared key of an unexpected shape');
      return undefined;
    }
    return { value: parsed.data, expires: typeof raw.expires === 'number' ? raw.expires : undefined };
  }

  async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    try {
      if (await this.keyv.set(key, value, ttlMs)) return;
      this.logger.warn({ key }, 'could not share a key; other instances will look it up themselves');
    } catch (error) {
      this.logger.warn(
        { err: error, key },
        'could not share a key; other instances will look it up themselves',
      );
    }
  }
}
