import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ACTIONS, findAction, formFor } from '../../src/actions/registry.ts';

// What the adapters encode: Slack `heed:<action>` (ACTION_ID_PATTERN), Discord `heed-form:<action>:<id>`.
const SLACK_ACTION = /^[a-z][a-z-]{0,31}$/;
const discordFormId = (name: string) => `heed-form:${name}:${'i'.repeat(64)}`;

describe('the action registry', () => {
  it('names each action once, in a form both platforms can carry', () => {
    const names = ACTIONS.map((action) => action.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(SLACK_ACTION);
      expect(discordFormId(name).length).toBeLessThanOrEqual(100);
      expect(findAction(name)?.name).toBe(name);
    }
    expect(findAction('frob')).toBeUndefined();
  });

  it('gives every form exactly the fields its schema reads', () => {
    for (const action of ACTIONS.filter((a) => a.form)) {
      const shape = (action.schema as z.ZodObject).shape;
      expect(action.form?.fields.map((field) => field.name).sort(), action.name).toEqual(
        Object.keys(shape).sort(),
      );
    }
  });

  it('runs an action with an offered form without it, and never one whose form is required', () => {
    for (const action of ACTIONS) {
      const bare = action.schema.safeParse({}).success;
      if (action.form?.need === 'required') expect(bare, action.name).toBe(false);
      else expect(bare, action.name).toBe(true);
    }
  });

  it('titles a form with the issue it acts on', () => {
    expect(formFor({ number: 42 }, 'resolve')?.title).toBe('Resolve #42');
    expect(formFor({ number: 42 }, 'claim')).toBeUndefined();
    expect(formFor({ number: 42 }, 'frob')).toBeUndefined();
  });
});
