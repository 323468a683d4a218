import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import type { HeedDatabase } from '../../src/store/database.ts';

/**
 * A store that can be made to fail or to lag, like a database in trouble: every change and every read
 * waits `lagMs`, then fails while `broken` is set. Changes fail before they touch anything.
 */
export class BreakableDatabase implements HeedDatabase {
  broken = false;
  /** Milliseconds each change and read waits before it answers. */
  lagMs = 0;
  readonly db: HeedDatabase['db'];

  constructor(private readonly inner: HeedDatabase) {
    const outer = this;
    const plugin: KyselyPlugin = {
      transformQuery: (args: PluginTransformQueryArgs) => args.node,
      async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
        await outer.trouble();
        return args.result;
      },
    };
    this.db = inner.db.withPlugin(plugin);
  }

  get kind() {
    return this.inner.kind;
  }

  get where() {
    return this.inner.where;
  }

  get commitStats() {
    return this.inner.commitStats;
  }

  private async trouble(): Promise<void> {
    if (this.lagMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lagMs));
    if (this.broken) throw new Error('store unavailable (test)');
  }

  async change<T>(work: Parameters<HeedDatabase['change']>[0]): Promise<T> {
    await this.trouble();
    return this.inner.change(work) as Promise<T>;
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
