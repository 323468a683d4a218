import { randomAlnum } from './ids.ts';

/**
 * Slack's documented Block Kit limits, each checked against docs.slack.dev (2026) where noted. Lengths
 * are counted in UTF-16 code units (JavaScript's `length`), which is never less than Slack's character
 * count, so a payload the emulator accepts is within Slack's limits.
 */
export const LIMITS = {
  // Block Kit reference, "Blocks": "up to 50 blocks in each message, and 100 blocks in modals or Home tabs".
  blocksPerMessage: 50,
  blocksPerView: 100,
  // Section block: `text` "Minimum length ... is 1 and maximum length is 3000 characters"; `fields`
  // "Maximum number of items is 10. Maximum length for the text in each item is 2000 characters."
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  // Header block: `text` "Must be a plain_text text object. Maximum length ... is 150 characters."
  headerText: 150,
  // Context block: `elements` "An array of image elements and text objects. Maximum number of items is 10."
  contextElements: 10,
  // Actions block: `elements` "There is a maximum of 25 elements in each action block."
  actionsElements: 25,
  // Every block: `block_id` "Maximum length for this field is 255 characters." and "should be unique
  // for each message and each iteration of a message".
  blockId: 255,
  // Button element: `text` "Can only be of type: plain_text. Maximum length ... is 75 characters.";
  // `value` "Maximum length ... is 2000 characters."; `url` "Maximum length ... is 3000 characters.";
  // `accessibility_label` "Maximum length ... is 75 characters."
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  // Every interactive element: `action_id` "Should be unique among all other action_ids in the
  // containing block. Maximum length for this field is 255 characters."
  actionId: 255,
  // Input block: `label` and `hint` "Must be a plain_text text object. Maximum length ... is 2000 characters."
  inputLabel: 2000,
  inputHint: 2000,
  // Plain-text input (and select menus): `placeholder` "plain_text only ... Maximum length ... is 150 characters."
  placeholder: 150,
  // Modal views ("Modal views" reference): `title` "Must be a plain_text text element with a max length of
  // 24 characters."; `close` / `submit` "A plain_text element ... Max length of 24 characters.";
  // `private_metadata` "Max length of 3000 characters."; `callback_id` "Max length of 255 characters."
  // Static select element: `options` "Maximum number of options is 100."; option object: `text` "Maximum
  // length for the text in this field is 75 characters.", `value` "Maximum length ... is 150 characters.";
  // `initial_option` "must exactly match one of the options".
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  // Plain-text input element: `initial_value` (and `max_length`) at most 3000 characters.
  inputValue: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  // chat.postMessage: "truncate `text` ... to 40,000 characters" (the text is cut, not refused).
  messageText: 40_000,
} as const;

/** One thing Slack would complain about: its sentence and the JSON pointer it names. */
export interface BlockProblem {
  message: string;
  pointer: string;
}

/** Slack's way of writing a problem: `must be less than 76 characters [json-pointer:/blocks/0/…]`. */
export function describeProblem(problem: BlockProblem): string {
  return `${problem.message} [json-pointer:${problem.pointer}]`;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface TextRule {
  max: number;
  /** Fields that Slack only accepts as `plain_text` (header, button, label, modal title…). */
  plainOnly?: boolean;
}

/** Walks blocks (and views) collecting what Slack would refuse, in the order Slack lists it. */
class Checker {
  readonly problems: BlockProblem[] = [];

  private add(message: string, pointer: string): void {
    this.problems.push({ message, pointer });
  }

  /** A string field with a maximum length (absent is fine). */
  string(value: unknown, pointer: string, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'string') {
      this.add('must be a string', pointer);
      return;
    }
    if (value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }

  /** A required text object: `{ type: 'plain_text' | 'mrkdwn', text }`, 1 to `max` characters. */
  text(value: unknown, pointer: string, rule: TextRule): void {
    if (!isObject(value)) {
      this.add(value === undefined ? 'missing required field' : 'must provide an object', pointer);
      return;
    }
    const allowed = rule.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
    if (typeof value.type !== 'string' || !allowed.includes(value.type)) {
      this.add('failed to match all allowed schemas', pointer);
      this.add(`must be one of: ${allowed.join(', ')}`, `${pointer}/type`);
      return;
    }
    const text = value.text;
    if (typeof text !== 'string') {
      this.add('missing required field: text', pointer);
      return;
    }
    if (text.length === 0) this.add('must be more than 0 characters', `${pointer}/text`);
    if (text.length > rule.max) {
      this.add('failed to match all allowed schemas', pointer);
      this.add(`must be less than ${rule.max + 1} characters`, `${pointer}/text`);
    }
  }

  /** An optional text object. */
  optionalText(value: unknown, pointer: string, rule: TextRule): void {
    if (value !== undefined) this.text(value, pointer, rule);
  }

  /** An array field with at most `max` items; answers the items to check one by one. */
  items(value: unknown, pointer: string, max: number): unknown[] {
    if (!Array.isArray(value)) {
      this.add(value === undefined ? 'missing required field' : 'must provide an array', pointer);
      return [];
    }
    if (value.length > max) this.add(`no more than ${max} items allowed`, pointer);
    return value;
  }

  /** Any interactive element (button, input, select…): `action_id`, labels and placeholders. */
  element(element: unknown, pointer: string): void {
    if (!isObject(element)) {
      this.add('must provide an object', pointer);
      return;
    }
    if (typeof element.type !== 'string') this.add('missing required field: type', pointer);
    this.string(element.action_id, `${pointer}/action_id`, LIMITS.actionId);
    this.optionalText(element.placeholder, `${pointer}/placeholder`, {
      max: LIMITS.placeholder,
      plainOnly: true,
    });
    if (element.type === 'static_select') this.staticSelect(element, pointer);
    if (element.type === 'plain_text_input')
      this.string(element.initial_value, `${pointer}/initial_value`, LIMITS.inputValue);
    if (element.type === 'button') {
      this.text(element.text, `${pointer}/text`, { max: LIMITS.buttonText, plainOnly: true });
      this.string(element.value, `${pointer}/value`, LIMITS.buttonValue);
      this.string(element.url, `${pointer}/url`, LIMITS.buttonUrl);
      this.string(element.accessibility_label, `${pointer}/accessibility_label`, LIMITS.accessibilityLabel);
    }
  }

  /** A static select: its options (text, value) and an initial option that is one of them. */
  private staticSelect(element: Json, pointer: string): void {
    const options = this.items(element.options, `${pointer}/options`, LIMITS.selectOptions);
    options.forEach((option, at) => {
      const where = `${pointer}/options/${at}`;
      if (!isObject(option)) {
        this.add('must provide an object', where);
        return;
      }
      this.text(option.text, `${where}/text`, { max: LIMITS.optionText, plainOnly: true });
      if (typeof option.value !== 'string') this.add('missing required field: value', where);
      else this.string(option.value, `${where}/value`, LIMITS.optionValue);
    });
    if (element.initial_option === undefined) return;
    const initial = isObject(element.initial_option) ? element.initial_option : undefined;
    const matches = options.some(
      (option) =>
        isObject(option) &&
        initial !== undefined &&
        option.value === initial.value &&
        JSON.stringify(option.text) === JSON.stringify(initial.text),
    );
    if (!matches) this.add('must match one of the provided options', `${pointer}/initial_option`);
  }

  /** A context element: a text object (either kind) or an image. */
  private contextElement(element: unknown, pointer: string): void {
    if (isObject(element) && element.type === 'image') return;
    this.text(element, pointer, { max: LIMITS.sectionText });
  }

  /** Elements that sit side by side in one block: each checked, `action_id`s unique within the block. */
  private elementsOf(block: Json, pointer: string, max: number): void {
    const seen = new Set<string>();
    this.items(block.elements, `${pointer}/elements`, max).forEach((element, at) => {
      const where = `${pointer}/elements/${at}`;
      this.element(element, where);
      const actionId = isObject(element) ? element.action_id : undefined;
      if (typeof actionId !== 'string') return;
      if (seen.has(actionId)) this.add(`duplicate action_id: ${actionId}`, `${where}/action_id`);
      seen.add(actionId);
    });
  }

  /** One block, by type. */
  block(block: unknown, pointer: string): void {
    if (!isObject(block)) {
      this.add('must provide an object', pointer);
      return;
    }
    if (typeof block.type !== 'string') {
      this.add('missing required field: type', pointer);
      return;
    }
    this.string(block.block_id, `${pointer}/block_id`, LIMITS.blockId);
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) {
          this.add('must define either `text` or `fields`', pointer);
        }
        this.optionalText(block.text, `${pointer}/text`, { max: LIMITS.sectionText });
        if (block.fields !== undefined) {
          this.items(block.fields, `${pointer}/fields`, LIMITS.sectionFields).forEach((field, at) => {
            this.text(field, `${pointer}/fields/${at}`, { max: LIMITS.fieldText });
          });
        }
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
        return;
      case 'header':
        this.text(block.text, `${pointer}/text`, { max: LIMITS.headerText, plainOnly: true });
        return;
      case 'context':
        this.items(block.elements, `${pointer}/elements`, LIMITS.contextElements).forEach((element, at) => {
          this.contextElement(element, `${pointer}/elements/${at}`);
        });
        return;
      case 'actions':
        this.elementsOf(block, pointer, LIMITS.actionsElements);
        return;
      case 'input':
        this.text(block.label, `${pointer}/label`, { max: LIMITS.inputLabel, plainOnly: true });
        this.optionalText(block.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plainOnly: true });
        if (block.element === undefined) this.add('missing required field: element', pointer);
        else this.element(block.element, `${pointer}/element`);
        return;
      default:
        // divider, image, rich_text, file, video, markdown, table…: only their block_id is checked.
        return;
    }
  }

  /** A `blocks` array: at most `max` blocks, each valid, `block_id`s unique among them. */
  blocks(blocks: unknown, pointer: string, max: number): void {
    const seen = new Set<string>();
    this.items(blocks, pointer, max).forEach((block, at) => {
      this.block(block, `${pointer}/${at}`);
      const blockId = isObject(block) ? block.block_id : undefined;
      if (typeof blockId !== 'string') return;
      if (seen.has(blockId)) this.add(`duplicate block_id: ${blockId}`, `${pointer}/${at}/block_id`);
      seen.add(blockId);
    });
  }

  /** A modal or Home tab view (`views.open` / `.push` / `.update` / `.publish`). */
  view(view: Json, pointer: string): void {
    if (view.type !== 'modal' && view.type !== 'home') {
      this.add(`unsupported type: ${String(view.type)}`, `${pointer}/type`);
      return;
    }
    this.blocks(view.blocks, `${pointer}/blocks`, LIMITS.blocksPerView);
    this.string(view.private_metadata, `${pointer}/private_metadata`, LIMITS.privateMetadata);
    this.string(view.callback_id, `${pointer}/callback_id`, LIMITS.callbackId);
    if (view.type !== 'modal') return;
    const rule = { max: LIMITS.modalButton, plainOnly: true };
    this.text(view.title, `${pointer}/title`, { max: LIMITS.modalTitle, plainOnly: true });
    this.optionalText(view.submit, `${pointer}/submit`, rule);
    this.optionalText(view.close, `${pointer}/close`, rule);
    // Modal views: "submit is required when an input block is within the blocks array."
    const blocks = Array.isArray(view.blocks) ? view.blocks : [];
    const input = blocks.findIndex((block) => isObject(block) && block.type === 'input');
    if (view.submit === undefined && input >= 0) {
      this.add('must define `submit` to use an `input` block in modals', `${pointer}/blocks/${input}`);
    }
  }
}

/**
 * What Slack would refuse in a message's `blocks` (at most 50) or, with `max`, another surface's; empty
 * when they are valid. Pointers start at `/blocks`, as in Slack's answers.
 */
export function checkBlocks(blocks: unknown, max: number = LIMITS.blocksPerMessage): BlockProblem[] {
  const checker = new Checker();
  checker.blocks(blocks, '/blocks', max);
  return checker.problems;
}

/** What Slack would refuse in a `view` argument; pointers start at `/view`. */
export function checkView(view: Record<string, unknown>): BlockProblem[] {
  const checker = new Checker();
  checker.view(view, '/view');
  return checker.problems;
}

/**
 * Checks a `blocks` argument like Slack does: `invalid_blocks_format` when it is not an array,
 * `invalid_blocks` with the problems when Slack would refuse it, or undefined when valid.
 */
export function validateBlocks(
  blocks: unknown,
  max: number = LIMITS.blocksPerMessage,
): { error: string; problems: BlockProblem[] } | undefined {
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', problems: [] };
  const problems = checkBlocks(blocks, max);
  return problems.length > 0 ? { error: 'invalid_blocks', problems } : undefined;
}

/**
 * The extra fields of Slack's `invalid_blocks` answer: `errors` (the sentences) and
 * `response_metadata.messages` (the same, each prefixed `[ERROR] `).
 */
export function invalidBlocksDetail(problems: BlockProblem[]): Record<string, unknown> {
  const sentences = problems.map(describeProblem);
  return {
    errors: sentences,
    response_metadata: { messages: sentences.map((sentence) => `[ERROR] ${sentence}`) },
  };
}

/** Copies blocks, giving each block without a `block_id` a random one, as Slack does when storing them. */
export function withBlockIds(blocks: unknown[]): unknown[] {
  return blocks.map((block) => {
    if (typeof block !== 'object' || block === null) return block;
    const record = block as Record<string, unknown>;
    return record.block_id === undefined ? { ...record, block_id: randomAlnum(5) } : { ...record };
  });
}

/** Finds an interactive element by `action_id` in stored blocks. */
export function findAction(
  blocks: unknown,
  actionId: string,
): { blockId: string; element: Record<string, unknown> } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as Array<Record<string, unknown>>) {
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory !== undefined ? [block.accessory] : []),
      ...(block.element !== undefined ? [block.element] : []),
    ] as Array<Record<string, unknown>>;
    const element = candidates.find((e) => e?.action_id === actionId);
    if (element && typeof block.block_id === 'string') return { blockId: block.block_id, element };
  }
  return undefined;
}
