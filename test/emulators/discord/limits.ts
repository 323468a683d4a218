/**
 * The limits Discord puts on what a bot sends, each with where Discord states it. Sources, read for the
 * numbers only:
 *
 * - docs: discord/discord-api-docs at c98d64b (2026-08-06), the `developers/` pages named below;
 * - spec: discord/discord-api-spec at 74fda0f (2026-07-18), `specs/openapi.json`, by schema name, which
 *   carries most limits as `maxLength` / `minLength` / `maxItems` / `minItems`.
 *
 * Lengths are counted in UTF-16 code units (`string.length`), which is never less than Discord's count of
 * characters, so whatever passes here passes on Discord.
 */
export const LIMITS = {
  message: {
    /**
     * docs resources/message.mdx, Create Message and Edit Message: "Message contents (up to 2000
     * characters)"; spec IncomingWebhookInteractionRequest.content maxLength 2000 (interaction replies).
     * The spec's MessageCreateRequest.content says 4000, the limit for Nitro users, not for bots.
     */
    content: 2000,
    /** docs Create Message: "Up to 10 `rich` embeds"; spec MessageCreateRequest.embeds maxItems 10. */
    embeds: 10,
    /** docs Allowed Mentions Structure: users / roles "(Max size of 100)". */
    allowedMentionIds: 100,
    /**
     * Top-level components without IS_COMPONENTS_V2: docs components/reference.mdx, Legacy Message
     * Component Behavior, "Legacy messages allow up to 5 action rows as top-level components" (with the
     * flag, "Messages allow up to 40 total components",
     * spec MessageCreateRequest.components maxItems 40).
     */
    actionRows: 5,
  },
  /**
   * docs resources/message.mdx, Embed Limits: "title 256, description 4096, fields up to 25, field.name
   * 256, field.value 1024, footer.text 2048, author.name 256", and "the combined sum of characters in all
   * title, description, field.name, field.value, footer.text, and author.name fields across all embeds
   * attached to a message must not exceed 6000 characters". "Leading and trailing whitespace characters
   * are not included (they are trimmed automatically)". spec RichEmbed, RichEmbedField, RichEmbedFooter,
   * RichEmbedAuthor carry the same maxLength / maxItems; RichEmbedField requires name and value.
   */
  embed: {
    title: 256,
    description: 4096,
    fields: 25,
    fieldName: 256,
    fieldValue: 1024,
    footerText: 2048,
    authorName: 256,
    total: 6000,
  },
  component: {
    /**
     * docs components/reference.mdx, Action Row: "Up to 5 interactive button components or a single
     * select component"; spec ActionRowComponentForMessageRequest.components minItems 1, maxItems 5.
     */
    rowItems: { min: 1, max: 5 },
    /**
     * docs components/reference.mdx, Custom ID: "a string of 1 to 100 characters", and "Multiple
     * components on the same message must not share the same custom_id"; spec
     * ButtonComponentForMessageRequest.custom_id minLength 1, maxLength 100.
     */
    customId: { min: 1, max: 100 },
    /** docs Button: "label: max 80 characters", "url: max 512 characters"; spec the same. */
    buttonLabel: 80,
    buttonUrl: 512,
  },
  modal: {
    /** docs interactions/receiving-and-responding.mdx, Modal: "custom_id ... 1-100 characters". */
    customId: { min: 1, max: 100 },
    /** docs Modal: "title: max 45 characters"; spec ModalInteractionCallbackRequestData.title 1–45. */
    title: { min: 1, max: 45 },
    /**
     * docs Modal: "Between 1 and 5 (inclusive) components that make up the modal". The spec says
     * maxItems 40 (ModalInteractionCallbackRequestData.components); the documented 5 is kept.
     */
    components: { min: 1, max: 5 },
    /** docs Label: "label: max 45 characters", "description: max 100"; spec LabelComponentForModalRequest 1–45, 1–100. */
    label: { min: 1, max: 45 },
    labelDescription: { min: 1, max: 100 },
    /** spec ActionRowComponentForModalRequest.components minItems 1, maxItems 5 (deprecated layout). */
    rowItems: { min: 1, max: 5 },
    /** spec TextDisplayComponentForModalRequest.content minLength 1, maxLength 4000. */
    textDisplay: { min: 1, max: 4000 },
  },
  /**
   * docs components/reference.mdx, Text Input Structure: custom_id "1-100 characters", min_length "min 0,
   * max 4000", max_length "min 1, max 4000", value "max 4000 characters", placeholder "max 100
   * characters"; spec TextInputComponentForModalRequest: the same, and label 1–45.
   */
  /**
   * docs interactions/receiving-and-responding.mdx, Autocomplete: "choices: autocomplete choices (max of
   * 25 choices)"; an application command option choice's name is 1–100 characters and a string value at
   * most 100 (docs interactions/application-commands.mdx, Application Command Option Choice Structure).
   */
  autocomplete: { choices: { min: 0, max: 25 }, name: { min: 1, max: 100 }, value: 100 },
  /**
   * docs components/reference.mdx, String Select: "options: Specified choices in a select menu; max 25",
   * "placeholder: max 150 characters", min_values 0–25, max_values 1–25; Select Option: label, value and
   * description max 100 characters.
   */
  stringSelect: {
    options: { min: 1, max: 25 },
    placeholder: 150,
    optionLabel: { min: 1, max: 100 },
    optionValue: { min: 1, max: 100 },
    optionDescription: 100,
  },
  textInput: {
    customId: { min: 1, max: 100 },
    label: { min: 1, max: 45 },
    value: 4000,
    placeholder: 100,
    minLength: { min: 0, max: 4000 },
    maxLength: { min: 1, max: 4000 },
  },
  thread: {
    /**
     * docs resources/channel.mdx, Start Thread from Message / without Message / in Forum or Media
     * Channel: "1-100 character channel name"; spec CreateTextThreadWithMessageRequest,
     * CreateTextThreadWithoutMessageRequest and CreateForumThreadRequest name minLength 1, maxLength 100.
     */
    name: { min: 1, max: 100 },
    /** spec CreateForumThreadRequest.applied_tags maxItems 5. */
    appliedTags: 5,
  },
  /** docs resources/channel.mdx, Modify Channel: "1-100 character channel name". */
  channelName: { min: 1, max: 100 },
} as const;
