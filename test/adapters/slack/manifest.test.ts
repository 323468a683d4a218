import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  BOT_EVENTS,
  BOT_SCOPES,
  SLACK_EVENTS_PATH,
  WEB_API_METHODS,
} from '../../../adapters/slack/requirements.ts';
import { COMMANDS } from '../../../src/commands/registry.ts';
import { rich } from '../../../src/messages/rich-text.ts';
import { S, startFixture } from './slack-fixture.ts';

const PLACEHOLDER = `https://heed.example.com${SLACK_EVENTS_PATH}`;

// The parts of Slack's manifest schema (v1) Heed uses, with Slack's length limits.
const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1), minor_version: z.number().int() }),
  display_information: z.object({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140),
    background_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    long_description: z.string().min(175).max(4000),
  }),
  features: z.object({
    app_home: z.object({
      home_tab_enabled: z.boolean(),
      messages_tab_enabled: z.boolean(),
      messages_tab_read_only_enabled: z.boolean(),
    }),
    bot_user: z.object({ display_name: z.string().min(1).max(80), always_online: z.boolean() }),
    slash_commands: z
      .array(
        z.object({
          command: z.string().regex(/^\/[a-z-]{1,31}$/),
          url: z.string(),
          description: z.string().min(1).max(2000),
          usage_hint: z.string().min(1).max(1000),
          should_escape: z.boolean(),
        }),
      )
      .length(1),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string().max(50)) }).strict() }),
  settings: z.object({
    event_subscriptions: z.object({ request_url: z.string(), bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true), request_url: z.string() }),
    org_deploy_enabled: z.boolean(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean(),
  }),
});

const manifest = manifestSchema.parse(parse(readFileSync('manifest/slack/manifest.yaml', 'utf8')));
const [slash] = manifest.features.slash_commands;

describe('the Slack app manifest', () => {
  it('parses as a v1 manifest within Slack’s limits', () => {
    expect(manifest.display_information.name).toBe('Heed');
    expect(slash?.command).toBe('/heed');
    expect(slash?.should_escape).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('lists every command of the registry in the usage hint and the description', () => {
    const hinted = slash!.usage_hint.split('|').map((part) => part.trim());
    expect(hinted).toEqual(COMMANDS.map((command) => command.name));
    for (const command of COMMANDS) expect(slash!.description).toMatch(new RegExp(`\\b${command.name}\\b`));
  });

  it('asks for exactly the scopes and events the adapter uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES]);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
  });

  it('points every request URL at the adapter’s endpoint, on a placeholder host', () => {
    expect(slash!.url).toBe(PLACEHOLDER);
    expect(manifest.settings.event_subscriptions.request_url).toBe(PLACEHOLDER);
    expect(manifest.settings.interactivity.request_url).toBe(PLACEHOLDER);
  });

  it('covers every Web API method the adapter actually calls', async () => {
    const f = await startFixture();
    try {
      const said = await f.say('Where did my export go?');
      const card = (await f.heed.findIssue('#1'))!.card!;
      await f.emu.blockAction({
        userId: S.staff,
        channelId: card.channel,
        messageTs: card.id,
        actionId: 'heed:claim',
      });
      await f.emu.waitForCall('chat.update');
      await f.emu.blockAction({
        userId: S.staff,
        channelId: card.channel,
        messageTs: card.id,
        actionId: 'heed:resolve',
      });
      await f.emu.waitForCall('views.open');
      await f.adapter.chatPort.dm({ platform: 'slack', id: S.manager }, { text: rich`FYI` });
      await f.adapter.chatPort.ephemeral(S.teamChannel, S.staff, { text: rich`Only you` });
      await f.emu.slashCommand({ text: 'queue', userId: S.staff, channelId: S.teamChannel });
      expect(said.status).toBe(200);

      const used = new Set(
        f.emu.calls.map((call) => call.method).filter((method) => method !== 'response_url'),
      );
      expect([...used].filter((method) => !(method in WEB_API_METHODS))).toEqual([]);
      const needed = [...used]
        .map((method) => WEB_API_METHODS[method])
        .filter((scope) => typeof scope === 'string');
      for (const scope of needed) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    } finally {
      await f.close();
    }
  });
});
