import { z } from 'zod';
import { defineAction, formText } from './action.ts';

/** Escalate: hands the issue up to the team's managers, with a reason (asked for in a form). */
export const escalateAction = defineAction({
  name: 'escalate',
  label: 'Escalate',
  style: 'danger',
  form: {
    need: 'required',
    title: (ref) => `Escalate ${ref}`,
    fields: [{ name: 'reason', label: 'Why escalate?', long: true }],
  },
  schema: z.object({ reason: formText }),
  run: (on, { reason }) => on.escalate(reason),
});
