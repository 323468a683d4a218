/**
 * The web dashboard as a Hono app under `/dashboard/`: read-only pages for signed-in staff, the sign-in
 * link's landing, and the static assets. Adapted to a node `(req, res)` handler that the Slack adapter's
 * HTTP server or Heed's own route server mounts by path prefix.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { Core } from '../core/core.ts';
import type { IssueChanges } from '../core/issue-changes.ts';
import type { Platform } from '../domain/refs.ts';
import type { Logger } from '../logging/logger.ts';
import type { PersonLookup } from '../ports/person-lookup.ts';
import { CurrentPeople } from './current-people.ts';
import {
  customersQuerySchema,
  dashboardTimezone,
  loadAttainment,
  loadCustomer,
  loadCustomers,
  loadIssue,
  loadPeople,
  loadQueue,
  PEOPLE_PERIOD_DAYS,
  queueFiltersSchema,
} from './dashboard-data.ts';
import {
  customerPage,
  customersPage,
  type Frame,
  issuePage,
  messagePage,
  peoplePage,
  queuePage,
  slaPage,
} from './pages.ts';
import { type DashboardSignIn, SESSION_TTL_MS } from './sign-in.ts';
import { type Viewer, viewerOf } from './viewer.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'heed_dashboard';

const require = createRequire(import.meta.url);

/** The files under `/dashboard/assets/`, read once. */
function loadAssets(): ReadonlyMap<string, { type: string; body: string }> {
  const own = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  const library = (path: string) => readFileSync(require.resolve(path), 'utf8');
  return new Map([
    [
      'dashboard.css',
      {
        type: 'text/css; charset=utf-8',
        body: `${library('uplot/dist/uPlot.min.css')}\n${own('dashboard.css')}`,
      },
    ],
    ['attainment-chart.js', { type: 'text/javascript; charset=utf-8', body: own('attainment-chart.js') }],
    ['live.js', { type: 'text/javascript; charset=utf-8', body: own('live.js') }],
    [
      'uPlot.iife.min.js',
      { type: 'text/javascript; charset=utf-8', body: library('uplot/dist/uPlot.iife.min.js') },
    ],
  ]);
}

const HOW_TO_SIGN_IN = [
  'Type /heed dashboard in Slack or Discord: Heed sends you a sign-in link by direct message.',
  'The link works once, for 10 minutes, and keeps you signed in for 12 hours. Only support staff can sign in.',
];

const REFUSED_LINK: Record<'malformed' | 'forged' | 'expired' | 'used', string> = {
  malformed: 'This sign-in link is incomplete. Copy the whole link from Heed’s message.',
  forged: 'This sign-in link was not made by this Heed.',
  expired: 'This sign-in link has expired: links last 10 minutes.',
  used: 'This sign-in link has already been used: each link works once.',
};

export interface DashboardOptions {
  readonly core: Core;
  readonly signIn: DashboardSignIn;
  /** Issue changes, here and announced by other instances: open pages hear of them (server-sent events). */
  readonly changes: IssueChanges;
  readonly logger: Logger;
  /**
   * How each platform with roles describes a person now (Discord), so access follows role changes
   * within minutes (see `current-people.ts`). A platform missing here is trusted as at sign-in.
   */
  readonly lookups?: Partial<Record<Platform, PersonLookup>>;
}

/** How often an idle event stream sends a comment, so proxies keep it open. */
export const KEEP_ALIVE_MS = 25_000;

type Env = { Bindings: HttpBindings; Variables: { viewer: Viewer } };

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The dashboard: the Hono app, and the event streams it holds open (closed when Heed stops). */
export interface Dashboard {
  readonly app: Hono<Env>;
  /** Ends every open event stream (before the HTTP server closes, which waits for open responses). */
  close(): Promise<void>;
}

/** Builds the Hono app. */
export function createDashboard(options: DashboardOptions): Dashboard {
  const { core, signIn, changes, logger } = options;
  const people = new CurrentPeople(options.lookups ?? {}, core.clock, logger);
  /** The viewer behind a session cookie now; `unknown` when their roles cannot be checked. */
  const viewerFor = async (
    session: string | undefined,
  ): Promise<Viewer | 'signed-out' | 'not-staff' | 'unknown'> => {
    const signedIn = session ? await signIn.signedIn(session) : undefined;
    if (!signedIn) return 'signed-out';
    const person = await people.current(signedIn.person, signedIn.since);
    if (!person) return 'unknown';
    return viewerOf(core.config, person) ?? 'not-staff';
  };
  // Each open event stream, with its connection (ended with it when Heed stops).
  const streams = new Map<SSEStreamingApi, { destroy(): void }>();
  const assets = loadAssets();
  const app = new Hono<Env>({ strict: false }).basePath('/dashboard');
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(async (c, next) => {
    const started = performance.now();
    c.header('cache-control', 'no-store');
    // Without a public URL, the dashboard serves this machine only.
    if (signIn.served?.localOnly !== false && !isLoopback(c.env.incoming.socket.remoteAddress)) {
      return c.html(
        messagePage('Local only', [
          'This Heed has no HEED_PUBLIC_URL, so its dashboard answers only on the machine it runs on.',
          'Set HEED_PUBLIC_URL to the address people reach Heed at (https://…) and restart it.',
        ]),
        403,
      );
    }
    await next();
    c.header('server-timing', `app;dur=${(performance.now() - started).toFixed(1)}`);
    return undefined;
  });
  app.get('/assets/:file', (c) => {
    const asset = assets.get(c.req.param('file'));
    if (!asset) return c.notFound();
    c.header('cache-control', 'public, max-age=3600');
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });
  app.get('/sign-in', async (c) => {
    const token = c.req.query('token') ?? '';
    const redeemed = await signIn.redeem(token);
    if (!redeemed.ok) {
      logger.info({ reason: redeemed.reason }, 'dashboard sign-in refused');
      return c.html(
        messagePage('Sign-in link not accepted', [REFUSED_LINK[redeemed.reason], ...HOW_TO_SIGN_IN]),
        401,
      );
    }
    logger.info({ platform: redeemed.person.platform, person: redeemed.person.id }, 'dashboard sign-in');
    setCookie(c, SESSION_COOKIE, redeemed.session, {
      path: '/dashboard',
      httpOnly: true,
      sameSite: 'Lax',
      secure: signIn.served?.baseUrl.startsWith('https:') ?? false,
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.redirect('/dashboard/', 303);
  });
  app.get('/sign-out', async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await signIn.endSession(session);
    deleteCookie(c, SESSION_COOKIE, { path: '/dashboard' });
    return c.html(messagePage('Signed out', HOW_TO_SIGN_IN));
  });
  // Everything else needs a session of someone who is staff now.
  app.use(async (c, next) => {
    const viewer = await viewerFor(getCookie(c, SESSION_COOKIE));
    if (viewer === 'signed-out') {
      return c.html(messagePage('Sign in to see the dashboard', HOW_TO_SIGN_IN), 401);
    }
    if (viewer === 'unknown') {
      return c.html(
        messagePage('Cannot check your access just now', [
          'Heed could not ask Discord which roles you have, and the ones it last read are over an hour old.',
          'Try again in a minute. If this lasts, Heed’s log says what Discord answered.',
        ]),
        503,
      );
    }
    if (viewer === 'not-staff') {
      return c.html(
        messagePage('Staff only', [
          'The dashboard shows support teams’ work, and you are not on a team in Heed’s config.',
          'Ask a manager to add you to a team, then run /heed dashboard again.',
        ]),
        403,
      );
    }
    c.set('viewer', viewer);
    await next();
    return undefined;
  });
  const frame = (c: Context<Env>, section: Frame['section']): Frame => ({
    viewer: c.get('viewer'),
    now: core.clock.now(),
    timezone: dashboardTimezone(core),
    localOnly: signIn.served?.localOnly !== false,
    section,
  });
  const notFound = (c: Context<Env>, what: string) =>
    c.html(
      messagePage('Not found', [
        `${what} is not here, or not on one of your teams.`,
        'Back to the queue: /dashboard/',
      ]),
      404,
    );
  app.get('/', async (c) => {
    const filters = queueFiltersSchema.parse(c.req.query());
    const queue = await loadQueue(core, c.get('viewer'), filters);
    return c.html(queuePage(frame(c, 'queue'), queue, filters));
  });
  app.get('/issues/:number', async (c) => {
    const number = Number(c.req.param('number'));
    if (!Number.isSafeInteger(number) || number < 1) return notFound(c, 'That issue');
    const view = await loadIssue(core, c.get('viewer'), number);
    if (!view) return notFound(c, `Issue #${number}`);
    return c.html(issuePage(frame(c, 'queue'), view));
  });
  app.get('/people', async (c) => {
    const people = await loadPeople(core, c.get('viewer'));
    return c.html(peoplePage(frame(c, 'people'), people, PEOPLE_PERIOD_DAYS));
  });
  app.get('/sla', async (c) => {
    const series = await loadAttainment(core, c.get('viewer'));
    return c.html(slaPage(frame(c, 'sla'), series));
  });
  app.get('/customers', async (c) => {
    const query = customersQuerySchema.parse(c.req.query());
    const list = await loadCustomers(core, query);
    return c.html(customersPage(frame(c, 'customers'), list, query.q));
  });
  app.get('/customers/:id', async (c) => {
    const view = await loadCustomer(core, c.get('viewer'), c.req.param('id'));
    if (!view) return notFound(c, 'That customer');
    return c.html(customerPage(frame(c, 'customers'), view));
  });
  // Live updates: a page listening here reloads when one of the viewer's teams' issues changes.
  // The stream outlives the request that opened it: before each event and keep-alive it checks the
  // session and the viewer's roles again (cached, see current-people.ts) and ends once they no longer
  // allow it, or follows the viewer's teams as they change.
  app.get('/events', (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    let teams = new Set(c.get('viewer').teams.map((team) => team.id));
    const socket = c.env.incoming.socket;
    return streamSSE(c, async (stream) => {
      streams.set(stream, socket);
      let end = () => {};
      const ended = new Promise<void>((resolve) => {
        end = resolve;
        stream.onAbort(resolve);
      });
      /** Whether the viewer may still listen (their teams brought up to date); ends the stream if not. */
      const stillAllowed = async () => {
        const viewer = await viewerFor(session).catch(() => 'unknown' as const);
        if (typeof viewer === 'string') {
          logger.info({ reason: viewer }, 'dashboard event stream ended: access withdrawn');
          end();
          return false;
        }
        teams = new Set(viewer.teams.map((team) => team.id));
        return true;
      };
      let pending = Promise.resolve();
      const stop = changes.listen((change) => {
        pending = pending
          .then(async () => {
            const theirs = () => change.team === undefined || teams.has(change.team);
            // Teams the viewer joined since the last check show from the next keep-alive on.
            if (!theirs() || !(await stillAllowed()) || !theirs()) return;
            await stream.writeSSE({ event: 'changed', data: JSON.stringify({ issue: change.issueId }) });
          })
          .catch(() => undefined);
      });
      const keepAlive = setInterval(() => {
        pending = pending
          .then(async () => {
            if (await stillAllowed()) await stream.write(': keep-alive\n\n');
          })
          .catch(() => undefined);
      }, KEEP_ALIVE_MS);
      keepAlive.unref();
      await stream.writeSSE({ event: 'ready', data: '{}' });
      await ended;
      stop();
      clearInterval(keepAlive);
      streams.delete(stream);
    });
  });
  app.notFound((c) =>
    c.html(
      messagePage('Not found', ['There is no such dashboard page.', 'The queue is at /dashboard/']),
      404,
    ),
  );
  app.onError((error, c) => {
    logger.error({ err: error, path: c.req.path }, 'dashboard page failed');
    return c.html(
      messagePage('Something went wrong', ['Heed could not show this page. Try again; the log says more.']),
      500,
    );
  });
  return {
    app,
    async close() {
      for (const [stream, socket] of streams) {
        stream.abort();
        // The connection too: a server stopping waits for every connection still open.
        socket.destroy();
      }
    },
  };
}

/** The dashboard as a node request handler, for a server that routes `/dashboard/…` to it. */
export function dashboardHandler(
  dashboard: Dashboard,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return getRequestListener(dashboard.app.fetch, { overrideGlobalObjects: false });
}
