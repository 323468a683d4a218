import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  ComponentType,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import { findAction } from '../../src/actions/registry.ts';
import { findCommand } from '../../src/commands/registry.ts';
import { failureReference, friendlyFailure } from '../../src/core/errors.ts';
import type { Logger } from '../../src/logging/logger.ts';
import type { FormSpec } from '../../src/ports/chat-port.ts';
import type { CommandReply, InboundPort } from '../../src/ports/inbound-port.ts';
import type { ReferenceParser } from '../../src/ports/reference-parser.ts';
import { type ActionTarget, parseButtonCustomId, parseFormCustomId } from './custom-ids.ts';
import { safeDiscordError } from './errors.ts';
import type { FormRegistry } from './forms.ts';
import { type ChannelLike, commandOptions, conversationOf, ROOT_COMMAND } from './from-discord.ts';
import { resolvePerson } from './people.ts';
import { toDiscordReply } from './to-discord.ts';
import { formModal } from './to-discord-components.ts';
import type { RenderContext } from './to-discord-text.ts';

export interface InteractionDeps {
  readonly heed: InboundPort;
  readonly client: Client;
  readonly forms: FormRegistry;
  readonly context: RenderContext;
  readonly logger: Logger;
  /** How people are written on each platform, for the core to read the people a command names. */
  readonly references: readonly ReferenceParser[];
}

const EPHEMERAL = { flags: MessageFlags.Ephemeral } as const;
const UNKNOWN_BUTTON =
  "That button isn't one Heed knows (it may be from an older message). Try `/heed help`.";

/**
 * Answers `/heed` commands, card buttons and their modals. Each is acknowledged first (deferred,
 * ephemeral, or a modal opened) well inside Discord's 3 seconds, then handed to the core.
 */
export class InteractionHandler {
  constructor(private readonly deps: InteractionDeps) {}

  async handle(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) await this.suggest(interaction);
      else if (interaction.isChatInputCommand()) await this.command(interaction);
      else if (interaction.isButton()) await this.button(interaction);
      else if (interaction.isModalSubmit()) await this.form(interaction);
    } catch (caught) {
      const error = safeDiscordError(caught, 'Discord interaction');
      const reference = failureReference(error);
      this.deps.logger.error({ err: error, reference, interaction: interaction.id }, 'interaction failed');
      if (interaction.isRepliable()) await this.fail(interaction, reference);
    }
  }

  private async command(interaction: ChatInputCommandInteraction): Promise<void> {
    if (interaction.commandName !== ROOT_COMMAND) return;
    await interaction.deferReply(EPHEMERAL);
    const name = interaction.options.getSubcommand(false) ?? 'help';
    const command = findCommand(name);
    const reply = await this.deps.heed.runCommand({
      person: await this.person(interaction),
      conversation: conversationOf(interaction.channelId, await this.channelOf(interaction)),
      input: {
        name,
        options: command ? commandOptions(command.args, interaction.options, interaction.guildId) : {},
      },
      references: this.deps.references,
    });
    await this.answer(interaction, reply);
  }

  // Someone typing in an option with autocomplete: the core's suggestions (Discord shows 25).
  private async suggest(interaction: AutocompleteInteraction): Promise<void> {
    if (interaction.commandName !== ROOT_COMMAND) {
      await interaction.respond([]);
      return;
    }
    const focused = interaction.options.getFocused(true);
    const suggestions = await this.deps.heed.suggest({
      person: await this.person(interaction),
      command: interaction.options.getSubcommand(false) ?? '',
      argument: focused.name,
      typed: String(focused.value),
    });
    await interaction.respond(suggestions.slice(0, 25).map((s) => ({ name: s.name, value: s.value })));
  }

  private async button(interaction: ButtonInteraction): Promise<void> {
    const target = parseButtonCustomId(interaction.customId);
    if (!target) {
      await interaction.reply({ content: UNKNOWN_BUTTON, ...EPHEMERAL });
      return;
    }
    const form = await this.formFor(target);
    if (form) {
      // A press the core refuses anyway (not the customer, already answered) is told so, not shown a form.
      const refused = await this.deps.heed.refusalBeforeForm({
        person: { platform: 'discord', id: interaction.user.id },
        ...target,
      });
      if (refused) {
        await interaction.reply({ ...toDiscordReply(refused, this.deps.context), ...EPHEMERAL });
        return;
      }
      await interaction.showModal(formModal(target, form));
      return;
    }
    await interaction.deferReply(EPHEMERAL);
    const person = await this.person(interaction);
    await this.answer(interaction, await this.deps.heed.runAction({ person, ...target }));
  }

  private async form(interaction: ModalSubmitInteraction): Promise<void> {
    const target = parseFormCustomId(interaction.customId);
    if (!target) {
      await interaction.reply({ content: UNKNOWN_BUTTON, ...EPHEMERAL });
      return;
    }
    await interaction.deferReply(EPHEMERAL);
    const fields: Record<string, string> = {};
    for (const field of interaction.fields.fields.values()) {
      if (field.type === ComponentType.TextInput) fields[field.customId] = field.value;
      else if (field.type === ComponentType.StringSelect && field.values[0] !== undefined)
        fields[field.customId] = field.values[0];
    }
    const person = await this.person(interaction);
    await this.answer(interaction, await this.deps.heed.runAction({ person, ...target, fields }));
  }

  // The form of a button whose action has one (registry): as sent, or (after a restart) as the core builds
  // it for the issue. Discord can always show a modal, so an offered form (a rating's comment) opens too.
  private async formFor(target: ActionTarget): Promise<FormSpec | undefined> {
    if (!findAction(target.action)?.form) return undefined;
    const remembered = this.deps.forms.find(target);
    if (remembered) return remembered;
    const issue = await this.deps.heed.issueById(target.issueId);
    if (!issue) return undefined;
    return this.deps.heed.formFor(issue, target.action);
  }

  // The channel, fetched when not cached (an archived thread), so a thread still names its issue.
  private async channelOf(interaction: ChatInputCommandInteraction): Promise<ChannelLike | null> {
    if (interaction.channel || !interaction.channelId) return interaction.channel;
    return this.deps.client.channels.fetch(interaction.channelId).catch(() => null);
  }

  private person(interaction: RepliableInteraction | AutocompleteInteraction) {
    // The name people see: the server nickname, else the global display name, else the username.
    const member = interaction.member;
    const nick = member && 'displayName' in member ? member.displayName : undefined;
    const name = nick || interaction.user.globalName || interaction.user.username;
    return resolvePerson(this.deps.client, interaction.user.id, member, interaction.guildId, name);
  }

  private async answer(interaction: RepliableInteraction, reply: CommandReply): Promise<void> {
    const body = toDiscordReply(reply, this.deps.context);
    if (reply.visibility === 'ephemeral') {
      await interaction.editReply(body);
      return;
    }
    // The deferral was ephemeral; a public answer replaces it with a message everyone sees.
    await interaction.deleteReply();
    await interaction.followUp(body);
  }

  private async fail(interaction: RepliableInteraction, reference: string): Promise<void> {
    const content = friendlyFailure(reference);
    try {
      if (interaction.deferred || interaction.replied) await interaction.editReply({ content });
      else await interaction.reply({ content, ...EPHEMERAL });
    } catch (error) {
      this.deps.logger.warn(
        { err: safeDiscordError(error, 'Discord interaction'), reference },
        'could not tell the user an interaction failed',
      );
    }
  }
}
