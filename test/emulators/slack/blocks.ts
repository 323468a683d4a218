import { randomAlnum } from './ids.ts';

/** Slack's documented limits. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  messageText: 40_000,
} as const;

/** Checks a `blocks` argument like Slack does; returns the error code, or undefined when valid. */
export function validateBlocks(blocks: unknown, max: number = LIMITS.blocksPerMessage): string | undefined {
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > max) return 'invalid_blocks';
  for (const block of blocks) {
    if (typeof block !== 'object' || block === null) return 'invalid_blocks';
    const { type, text } = block as { type?: unknown; text?: unknown };
    if (typeof type !== 'string') return 'invalid_blocks';
    const textValue = (text as { text?: unknown } | undefined)?.text;
    if (type === 'section' && typeof textValue === 'string' && textValue.length > LIMITS.sectionText) {
      return 'invalid_blocks';
    }
    if (type === 'header' && typeof textValue === 'string' && textValue.length > LIMITS.headerText) {
      return 'invalid_blocks';
    }
  }
  return undefined;
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
