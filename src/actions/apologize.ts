import { z } from 'zod';
import { defineAction, formText } from './action.ts';

/** Apologize: posts the apology to the customer after a breach (on nags), in words given in a form. */
export const apologizeAction = defineAction({
  name: 'apologize',
  label: 'Apologize',
  form: {
    need: 'required',
    title: (ref) => `Apologize on ${ref}`,
    fields: [{ name: 'reason', label: 'What to tell the customer', long: true }],
  },
  schema: z.object({ reason: formText }),
  run: (on, { reason }) => on.apologize(reason),
});
