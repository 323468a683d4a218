import { z } from 'zod';
import { durationString } from '../config/schema.ts';
import { defineAction, formText } from './action.ts';

/** Snooze: pushes the deadlines back by a duration, with a reason (both asked for in a form). */
export const snoozeAction = defineAction({
  name: 'snooze',
  label: 'Snooze',
  form: {
    need: 'required',
    title: (ref) => `Snooze ${ref}`,
    fields: [
      { name: 'duration', label: 'For how long? (e.g. 30m, 2h, 1d)', placeholder: '1h' },
      { name: 'reason', label: 'Why?', long: true },
    ],
  },
  schema: z.object({ duration: durationString, reason: formText }),
  run: (on, { duration, reason }) => on.snooze(duration, reason),
});
