/**
 * Who gets into the web dashboard, through the real Heed against the emulators: `/heed dashboard` DMs a
 * signed link that works once for 10 minutes and sets a 12-hour session cookie; without a session, with
 * an expired, reused or forged link, as a customer or as staff of another team, nobody sees more than
 * they should.
 */
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommands } from '../../manifest/discord/deploy-commands.ts';
import type { Issue } from '../../src/domain/issue.ts';
import { type DashboardWorld, DISCORD, SLACK, slackDms, startDashboardWorld } from './dashboard-world.ts';

let w: DashboardWorld;
let exportIssue: Issue;
let invoiceIssue: Issue;

beforeAll(async () => {
  w = await startDashboardWorld();
  exportIssue = await w.danaWrites('Our CSV export fails with error 500');
  invoiceIssue = await w.danaWrites('The invoice for November is wrong');
});

afterAll(async () => {
  await w.close();
});

describe('signing in with the link /heed dashboard sends', () => {
  it('DMs staff a signed single-use link that opens a 12-hour HttpOnly, SameSite=Lax session', async () => {
    const answer = (await w.slash(SLACK.alex, 'dashboard')) as { text: string; response_type: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toContain('sent you a sign-in link to the web dashboard by direct message');
    const dm = (await slackDms(w.slack, SLACK.alex)).at(-1)!;
    expect(dm.text).toContain('works once, for the next 10 minutes');
    expect(dm.text).toContain('opens only on the machine Heed runs on');
    const url = await w.slackLinkTo(SLACK.alex);
    expect(url).toMatch(new RegExp(`^${w.origin}/dashboard/sign-in\\?token=[\\w-]+\\.\\d+\\.[\\w-]{43}$`));

    const opened = await w.openLink(url!);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/dashboard/');
    const cookie = opened.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^heed_dashboard=[\w-]{43};/);
    expect(cookie).toContain('Max-Age=43200');
    expect(cookie).toContain('Path=/dashboard');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    // No HEED_PUBLIC_URL: plain http on this machine, so the cookie cannot be Secure.
    expect(cookie).not.toContain('Secure');

    const queue = await w.get('/dashboard/', opened.cookie);
    expect(queue.status).toBe(200);
    expect(queue.body).toContain(`#${exportIssue.number}`);
    expect(queue.body).toContain('Our CSV export fails with error 500');
    expect(queue.body).toContain('Local only: HEED_PUBLIC_URL is not set');
    expect(queue.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(queue.headers.get('cache-control')).toBe('no-store');
    expect(queue.headers.get('referrer-policy')).toBe('no-referrer');
    expect(queue.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d)?$/);
  });

  it('refuses a link used before, and says each link works once', async () => {
    await w.slash(SLACK.alex, 'dashboard');
    const url = (await w.slackLinkTo(SLACK.alex))!;
    expect((await w.openLink(url)).status).toBe(303);
    const again = await w.openLink(url);
    expect(again.status).toBe(401);
    expect(again.cookie).toBeUndefined();
    expect(again.body).toContain('already been used: each link works once');
    expect(again.body).toContain('Type /heed dashboard in Slack or Discord');
  });

  it('refuses a link older than 10 minutes', async () => {
    await w.slash(SLACK.sam, 'dashboard');
    const url = (await w.slackLinkTo(SLACK.sam))!;
    w.clock.advance(10 * 60_000);
    const late = await w.openLink(url);
    expect(late.status).toBe(401);
    expect(late.body).toContain('has expired: links last 10 minutes');
  });

  it('refuses a link whose expiry or signature was changed', async () => {
    await w.slash(SLACK.sam, 'dashboard');
    const url = new URL((await w.slackLinkTo(SLACK.sam))!);
    const [id, expiry, signature] = url.searchParams.get('token')!.split('.');
    const later = `${id}.${Number(expiry) + 3_600_000}.${signature}`;
    const forged = await w.get(`/dashboard/sign-in?token=${later}`);
    expect(forged.status).toBe(401);
    expect(forged.body).toContain('was not made by this Heed');
    const cut = await w.get(`/dashboard/sign-in?token=${id}.${expiry}`);
    expect(cut.status).toBe(401);
    expect(cut.body).toContain('incomplete');
    // The real link still works: refusing forgeries did not use it up.
    expect((await w.openLink(url.toString())).status).toBe(303);
  });

  it('ends the session 12 hours later, or at once on signing out', async () => {
    const cookie = await w.signInOnSlack(SLACK.alex);
    expect((await w.get('/dashboard/people', cookie)).status).toBe(200);
    const out = await w.get('/dashboard/sign-out', cookie);
    expect(out.body).toContain('Signed out');
    expect((await w.get('/dashboard/people', cookie)).status).toBe(401);

    const second = await w.signInOnSlack(SLACK.alex);
    w.clock.advance(12 * 60 * 60_000 - 1);
    expect((await w.get('/dashboard/', second)).status).toBe(200);
    w.clock.advance(1);
    expect((await w.get('/dashboard/', second)).status).toBe(401);
  });
});

describe('nobody gets in without being staff', () => {
  it('answers 401 without a session, or with a made-up one, with how to get a link', async () => {
    for (const path of [
      '/dashboard/',
      '/dashboard/issues/1',
      '/dashboard/people',
      '/dashboard/sla',
      '/dashboard/customers',
    ]) {
      const page = await w.get(path);
      expect(page.status, path).toBe(401);
      expect(page.body).toContain('Sign in to see the dashboard');
      expect(page.body).toContain('Type /heed dashboard in Slack or Discord');
      expect(page.body).not.toContain('CSV export');
    }
    const madeUp = await w.get('/dashboard/', `heed_dashboard=${'A'.repeat(43)}`);
    expect(madeUp.status).toBe(401);
  });

  it('gives a customer no link, and a session of someone who is not staff nothing', async () => {
    const answer = (await w.slash(SLACK.dana, 'dashboard')) as { text: string };
    expect(answer.text).toContain('for the support team');
    expect(await w.slackLinkTo(SLACK.dana)).toBeUndefined();
    // A link made for a customer anyway (a team they were removed from, say) opens onto 403.
    const link = await w.heed.core.heed.dashboard.linkFor({ platform: 'slack', id: SLACK.dana });
    const opened = await w.openLink(link!.url);
    const page = await w.get('/dashboard/', opened.cookie);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Staff only');
    expect(page.body).not.toContain('CSV export');
  });

  it('shows staff their own teams only, and managers every team', async () => {
    expect(exportIssue.team).toBe('support');
    expect(invoiceIssue.team).toBe('billing');
    const alex = await w.signInOnSlack(SLACK.alex);
    const bea = await w.signInOnSlack(SLACK.bea);
    const morgan = await w.signInOnSlack(SLACK.morgan);

    const alexQueue = (await w.get('/dashboard/', alex)).body;
    expect(alexQueue).toContain('Our CSV export fails');
    expect(alexQueue).not.toContain('invoice for November');
    const beaQueue = (await w.get('/dashboard/', bea)).body;
    expect(beaQueue).toContain('invoice for November');
    expect(beaQueue).not.toContain('Our CSV export fails');
    const morganQueue = (await w.get('/dashboard/', morgan)).body;
    expect(morganQueue).toContain('invoice for November');
    expect(morganQueue).toContain('Our CSV export fails');

    // Another team's issue is not found, not forbidden: its existence is not given away either.
    const refused = await w.get(`/dashboard/issues/${exportIssue.number}`, bea);
    expect(refused.status).toBe(404);
    expect(refused.body).not.toContain('CSV export');
    expect((await w.get(`/dashboard/issues/${exportIssue.number}`, alex)).status).toBe(200);
    expect((await w.get(`/dashboard/issues/${invoiceIssue.number}`, morgan)).status).toBe(200);

    // Dana's profile lists only the issues of the viewer's teams.
    const profile = (await w.get(`/dashboard/issues/${invoiceIssue.number}`, bea)).body;
    expect(profile).toContain('invoice for November');
    expect(profile).toContain('1 more on other teams or older');
  });
});

/** An open `/dashboard/events` stream: what it has said so far, read until a pattern shows up. */
async function listen(cookie: string | undefined) {
  const controller = new AbortController();
  const response = await fetch(`${w.origin}/dashboard/events`, {
    signal: controller.signal,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let said = '';
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    get said() {
      return said;
    },
    async until(pattern: RegExp): Promise<string> {
      const deadline = Date.now() + 5_000;
      while (!pattern.test(said)) {
        if (Date.now() > deadline) throw new Error(`the stream never said ${pattern}: ${said}`);
        const { value, done } = await reader.read();
        if (done) break;
        said += decoder.decode(value, { stream: true });
      }
      return said;
    },
    close: () => controller.abort(),
  };
}

describe('live updates (server-sent events)', () => {
  it('tells an open page of each change to its viewer’s teams, and nothing of other teams', async () => {
    const refused = await listen(undefined);
    expect(refused.status).toBe(401);
    refused.close();

    const bea = await listen(await w.signInOnSlack(SLACK.bea));
    const alex = await listen(await w.signInOnSlack(SLACK.alex));
    expect(bea.type).toMatch(/^text\/event-stream/);
    await bea.until(/event: ready/);
    await alex.until(/event: ready/);
    const support = await w.danaWrites('The export page shows a blank screen');
    const billing = await w.danaWrites('Please send the invoice again');
    await alex.until(new RegExp(support.id));
    await bea.until(new RegExp(billing.id));
    // Bea heard of the billing issue, which came after the support one, and never of the support one.
    expect(bea.said).not.toContain(support.id);
    expect(alex.said).toContain('event: changed');
    bea.close();
    alex.close();
  });
});

/** Runs `/heed dashboard` on Discord as `userId` in the staff channel: Heed's answer to it. */
async function discordDashboard(userId: string) {
  const command = w.discord.slashCommand({
    guildId: DISCORD.guild,
    channelId: DISCORD.staffChannel,
    userId,
    name: 'heed',
    subcommand: 'dashboard',
    options: [],
  });
  await command;
  return w.discord.waitForCall('PATCH /webhooks/:app/:token/messages/@original', (call) =>
    call.path.includes((command as unknown as { id: string }).id),
  );
}

describe('/heed dashboard on Discord', () => {
  it('answers with the figures and the link in an ephemeral embed, and DMs the link too', async () => {
    await deployCommands({
      token: DISCORD.token,
      applicationId: DISCORD.applicationId,
      apiUrl: w.discord.apiUrl,
      guildId: DISCORD.guild,
    });
    const answer = await discordDashboard(DISCORD.riley);
    const embed = (answer.body as { embeds: { fields: { name: string; value: string }[] }[] }).embeds[0]!;
    const field = embed.fields.find((f) => f.name === 'Web dashboard')!;
    const url = /\[Open the web dashboard\]\((http[^)]+)\)/.exec(field.value)?.[1];
    expect(url).toMatch(/\/dashboard\/sign-in\?token=/);
    const dm = await w.discord.waitForCall('POST /channels/:id/messages', (call) =>
      String((call.body as { content?: string }).content).includes('/dashboard/sign-in?token='),
    );
    expect(String((dm.body as { content: string }).content)).toContain('works once');

    // Riley is staff by a Discord role: the session remembers it.
    const opened = await w.openLink(url!);
    const queue = await w.get('/dashboard/', opened.cookie);
    expect(queue.status).toBe(200);
    expect(queue.body).toContain('Our CSV export fails');
    expect(queue.body).not.toContain('invoice for November');
  });

  it('follows a staff role taken away on Discord: within 5 minutes the pages and the live updates close', async () => {
    // Sky joins the server with the staff role: staff by the role alone (Riley is also on call).
    const sky = '1200000000000000005';
    w.discord.addMember({
      guildId: DISCORD.guild,
      user: { id: sky, username: 'sky' },
      roles: [DISCORD.staffRole],
    });
    const answer = await discordDashboard(sky);
    const url = /\((http[^)]+\/dashboard\/sign-in[^)]+)\)/.exec(JSON.stringify(answer.body))?.[1];
    const cookie = (await w.openLink(url!)).cookie!;
    expect((await w.get('/dashboard/', cookie)).status).toBe(200);
    const stream = await listen(cookie);
    await stream.until(/event: ready/);

    w.discord.updateMember({ guildId: DISCORD.guild, userId: sky, roles: [] });
    // The roles read at sign-in serve for 5 minutes; then Heed asks Discord again.
    expect((await w.get('/dashboard/', cookie)).status).toBe(200);
    w.clock.advance(5 * 60_000);
    const refused = await w.get('/dashboard/', cookie);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Staff only');
    expect(w.discord.calls.some((call) => call.route === 'GET /guilds/:id/members/:uid')).toBe(true);

    // The open stream tells nothing more: it ends at the next change instead.
    const issue = await w.danaWrites('The CSV export is slow again');
    expect(await stream.until(new RegExp(issue.id))).not.toContain(issue.id);

    // The role given back: the next check lets Sky in again.
    w.discord.updateMember({ guildId: DISCORD.guild, userId: sky, roles: [DISCORD.staffRole] });
    w.clock.advance(5 * 60_000);
    const back = await w.get('/dashboard/', cookie);
    expect(back.status).toBe(200);
    expect(back.body).toContain('The CSV export is slow again');
  });
});

// The machine's own non-loopback address, when it has one: a request from it is not "this machine" to
// a dashboard without HEED_PUBLIC_URL only because it arrives over the network interface.
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

describe('without HEED_PUBLIC_URL the dashboard is local only', () => {
  it.runIf(external !== undefined)('refuses a request that does not come from loopback', async () => {
    const port = new URL(w.origin).port;
    const response = await fetch(`http://${external}:${port}/dashboard/`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Set HEED_PUBLIC_URL');
  });
});

describe('the people page', () => {
  it('lists every Slack person the config names, before Heed has seen them, with their load', async () => {
    const world = await startDashboardWorld();
    try {
      const morgan = await world.signInOnSlack(SLACK.morgan);
      const unseen = (await world.get('/dashboard/people', morgan)).body;
      // Sam is support staff in the config and has done nothing yet: listed, with no name known.
      expect(unseen).toMatch(
        new RegExp(`slack:${SLACK.sam} <span class="muted">· not seen by Heed yet</span></td>\\s*<td>0</td>`),
      );
      // Once Sam runs a command Heed knows the name.
      await world.slash(SLACK.sam, 'queue');
      const seen = (await world.get('/dashboard/people', morgan)).body;
      expect(seen).not.toContain(`slack:${SLACK.sam}`);
      expect(seen).toMatch(/<td>sam<\/td>/);
    } finally {
      await world.close();
    }
  });
});

describe('with HEED_PUBLIC_URL on https', () => {
  it('makes links on the public address and marks the session cookie Secure', async () => {
    const world = await startDashboardWorld({ env: { HEED_PUBLIC_URL: 'https://heed.example.com' } });
    try {
      await world.slash(SLACK.alex, 'dashboard');
      const url = (await world.slackLinkTo(SLACK.alex))!;
      expect(url.startsWith('https://heed.example.com/dashboard/sign-in?token=')).toBe(true);
      expect((await slackDms(world.slack, SLACK.alex)).at(-1)!.text).not.toContain(
        'opens only on the machine',
      );
      const opened = await world.openLink(url);
      expect(opened.headers.get('set-cookie')).toContain('Secure');
      // A reverse proxy would forward it as https; here the request reaches Heed directly.
      const page = await world.get('/dashboard/', opened.cookie);
      expect(page.status).toBe(200);
      expect(page.body).not.toContain('Local only');
    } finally {
      await world.close();
    }
  });
});

describe('with HEED_DASHBOARD_PORT', () => {
  it('serves the dashboard on a port of its own, and links point there', async () => {
    const world = await startDashboardWorld({ env: { HEED_DASHBOARD_PORT: '0' } });
    try {
      const own = Number(new URL(world.heed.dashboardUrl).port);
      expect(own).not.toBe(world.heed.slackPort);
      // Not beside Slack's endpoint any more.
      const beside = await fetch(`http://127.0.0.1:${world.heed.slackPort}/dashboard/`);
      expect(beside.status).toBe(404);
      const cookie = await world.signInOnSlack(SLACK.alex);
      expect(new URL((await world.slackLinkTo(SLACK.alex))!).port).toBe(String(own));
      expect((await world.get('/dashboard/', cookie)).status).toBe(200);
    } finally {
      await world.close();
    }
  });
});
