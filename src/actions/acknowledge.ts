import { z } from 'zod';
import { defineAction } from './action.ts';

/** Acknowledge: stops the escalation chain of the current deadline (cards and alerts). */
export const acknowledgeAction = defineAction({
  name: 'acknowledge',
  label: 'Acknowledge',
  schema: z.object({}).passthrough(),
  run: (on) => on.acknowledge(),
});
