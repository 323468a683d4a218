import type { App, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../src/logging/logger.ts';
import type { Rich } from '../../src/messages/rich-text.ts';
import type { IssueChangeNotice } from '../../src/ports/home-page.ts';
import type { InboundPort } from '../../src/ports/inbound-port.ts';
import { homeView } from './to-slack-home.ts';

/** How often the App Home may be published (`views.publish` is Tier 4: 100+ per minute per workspace). */
export interface HomeRefreshOptions {
  /** A change waits this long for others before the pages it touches are published (default 2 s). */
  readonly debounceMs?: number | undefined;
  /** At most one publish per person in this long (default 5 s). */
  readonly minGapMs?: number | undefined;
  /** At most this many publishes a minute in the workspace (default 60, well under Tier 4). */
  readonly perMinute?: number | undefined;
  /** A person who has not opened the Home tab for this long is no longer refreshed (default 12 h). */
  readonly forgetAfterMs?: number | undefined;
}

const DEFAULTS = {
  debounceMs: 2_000,
  minGapMs: 5_000,
  perMinute: 60,
  forgetAfterMs: 12 * 60 * 60_000,
} as const;

const homeOpenedSchema = z.object({
  type: z.literal('app_home_opened'),
  user: z.string().regex(/^[UW][A-Z0-9]{2,30}$/),
  tab: z.string().optional(),
});

interface Viewer {
  openedAt: number;
  publishedAt: number;
  timer?: NodeJS.Timeout | undefined;
  notice?: Rich | undefined;
  teams: ReadonlySet<string>;
  issues: ReadonlySet<string>;
}

export interface HomeDeps {
  readonly heed: InboundPort;
  readonly client: webApi.WebClient;
  readonly logger: Logger;
  readonly options?: HomeRefreshOptions | undefined;
}

/**
 * The App Home: published with `views.publish` when someone opens the Home tab, and again after changes
 * to issues it shows (their teams' issues, the issues it lists) for people who opened it lately. Bursts
 * coalesce: a person's page is published at most once per `minGapMs`, a change waits `debounceMs` for
 * the ones after it, and the workspace gets at most `perMinute` publishes a minute. Failures are logged.
 */
export class SlackHome {
  private readonly viewers = new Map<string, Viewer>();
  private readonly settings: Required<{ [K in keyof HomeRefreshOptions]: number }>;
  private lastPublishAt = 0;
  private stopListening: (() => void) | undefined;
  private disabled = false;
  private stopped = false;

  constructor(private readonly deps: HomeDeps) {
    const given = deps.options ?? {};
    this.settings = {
      debounceMs: given.debounceMs ?? DEFAULTS.debounceMs,
      minGapMs: given.minGapMs ?? DEFAULTS.minGapMs,
      perMinute: given.perMinute ?? DEFAULTS.perMinute,
      forgetAfterMs: given.forgetAfterMs ?? DEFAULTS.forgetAfterMs,
    };
  }

  /** Listens for `app_home_opened` and for issue changes. */
  register(app: App): void {
    app.event('app_home_opened', async ({ event }) => {
      const opened = homeOpenedSchema.safeParse(event);
      if (!opened.success) {
        this.deps.logger.warn('malformed app_home_opened event');
        return;
      }
      // The Messages tab opens too; only the Home tab shows the page.
      if (opened.data.tab !== undefined && opened.data.tab !== 'home') return;
      this.opened(opened.data.user);
    });
    this.stopListening ??= this.deps.heed.onIssueChanged((change) => this.changed(change));
  }

  /** Someone opened the Home tab: their page now (or when their last publish is `minGapMs` old). */
  opened(user: string): void {
    const now = Date.now();
    const viewer = this.viewers.get(user);
    if (viewer) viewer.openedAt = now;
    else this.viewers.set(user, { openedAt: now, publishedAt: 0, teams: new Set(), issues: new Set() });
    this.schedule(user, 0);
  }

  /** Publishes someone's page soon, with a notice on top (the answer to a button they pressed on it). */
  refresh(user: string, notice?: Rich): void {
    const viewer = this.viewers.get(user);
    if (!viewer) {
      this.viewers.set(user, {
        openedAt: Date.now(),
        publishedAt: 0,
        notice,
        teams: new Set(),
        issues: new Set(),
      });
    } else if (notice) viewer.notice = notice;
    this.schedule(user, 0, true);
  }

  /** An issue changed: the pages showing its team or itself are published again, after the debounce. */
  changed(change: IssueChangeNotice): void {
    const now = Date.now();
    for (const [user, viewer] of this.viewers) {
      if (now - viewer.openedAt > this.settings.forgetAfterMs) {
        if (viewer.timer) clearTimeout(viewer.timer);
        this.viewers.delete(user);
        continue;
      }
      const shows =
        viewer.issues.has(change.issueId) || (change.team !== undefined && viewer.teams.has(change.team));
      if (shows) this.schedule(user, this.settings.debounceMs);
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopListening?.();
    this.stopListening = undefined;
    for (const viewer of this.viewers.values()) if (viewer.timer) clearTimeout(viewer.timer);
  }

  // One timer per person: a later request joins the pending one (a burst of changes is one publish); an
  // urgent one (an answer to show) brings it forward, still no sooner than `minGapMs` after the last.
  private schedule(user: string, delayMs: number, urgent = false): void {
    const viewer = this.viewers.get(user);
    if (!viewer || this.disabled || this.stopped) return;
    if (viewer.timer && urgent) {
      clearTimeout(viewer.timer);
      viewer.timer = undefined;
    }
    if (viewer.timer) return;
    const now = Date.now();
    const at = Math.max(now + delayMs, viewer.publishedAt + this.settings.minGapMs);
    viewer.timer = setTimeout(() => void this.publish(user), at - now);
    viewer.timer.unref?.();
  }

  private async publish(user: string): Promise<void> {
    const viewer = this.viewers.get(user);
    if (!viewer || this.stopped) return;
    // The workspace-wide pace: wait for the next free slot.
    const now = Date.now();
    const slot = this.lastPublishAt + 60_000 / this.settings.perMinute;
    if (slot > now) {
      viewer.timer = setTimeout(() => void this.publish(user), slot - now);
      viewer.timer.unref?.();
      return;
    }
    viewer.timer = undefined;
    viewer.publishedAt = now;
    this.lastPublishAt = now;
    const notice = viewer.notice;
    viewer.notice = undefined;
    try {
      const page = await this.deps.heed.homePage({ platform: 'slack', id: user });
      viewer.teams = new Set(page.teams);
      viewer.issues = new Set(page.issueIds);
      await this.deps.client.views.publish({ user_id: user, view: homeView(page, notice) });
    } catch (error) {
      const code = (error as { data?: { error?: unknown } }).data?.error;
      if (code === 'not_enabled') {
        this.disabled = true;
        this.deps.logger.error(
          'Slack refused the App Home: enable the Home tab (App Home → Show Tabs → Home Tab, or features.app_home.home_tab_enabled in the manifest)',
        );
        return;
      }
      this.deps.logger.warn({ err: error, user }, 'could not publish the Slack App Home');
    }
  }
}
