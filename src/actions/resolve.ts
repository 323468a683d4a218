import { z } from 'zod';
import { defineAction, formText } from './action.ts';

/** Resolve: closes the issue with a summary the customer is told (asked for in a form). */
export const resolveAction = defineAction({
  name: 'resolve',
  label: 'Resolve',
  form: {
    need: 'required',
    title: (ref) => `Resolve ${ref}`,
    fields: [{ name: 'summary', label: 'What fixed it?', long: true }],
  },
  schema: z.object({ summary: formText }),
  run: (on, { summary }) => on.resolve(summary),
});
