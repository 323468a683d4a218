import { z } from 'zod';
import { defineAction } from './action.ts';

/** Claim: the presser takes ownership of the issue (cards and alerts of unowned issues). */
export const claimAction = defineAction({
  name: 'claim',
  label: 'Claim',
  style: 'primary',
  schema: z.object({}).passthrough(),
  run: (on) => on.claim(),
});
