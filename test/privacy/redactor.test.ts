import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/privacy/redactor.ts';

describe('the redactor', () => {
  const r = new Redactor(['Dana', 'Dana Pierce', 'dana@bigco.example', 'U0CUST01', '<b>bold</b>']);

  it('replaces whole words, case-insensitively, the longest term first', () => {
    expect(r.text('Hi Dana Pierce, dana wrote. DANA!')).toBe(
      'Hi [forgotten], [forgotten] wrote. [forgotten]!',
    );
    expect(r.text('Mail dana@bigco.example or <@U0CUST01>')).toBe('Mail [forgotten] or <@[forgotten]>');
    expect(r.text('slack:U0CUST01')).toBe('slack:[forgotten]');
  });

  it('leaves longer words alone', () => {
    expect(r.text('Danaher and Dana2 and xU0CUST01')).toBe('Danaher and Dana2 and xU0CUST01');
    expect(r.matches('Danaher')).toBe(false);
    expect(r.matches('ask dana')).toBe(true);
  });

  it('matches terms that start or end with punctuation inside words', () => {
    expect(r.text('a<b>bold</b>c')).toBe('a[forgotten]c');
  });

  it('redacts every string of a JSON value and keeps its shape', () => {
    const json = JSON.stringify({ name: 'Dana', list: ['Dana Pierce', 3, null], Dana: { ok: true } });
    expect(JSON.parse(r.json(json))).toEqual({
      name: '[forgotten]',
      list: ['[forgotten]', 3, null],
      Dana: { ok: true },
    });
    expect(r.json('not json, Dana')).toBe('not json, [forgotten]');
  });

  it('with no terms changes nothing', () => {
    expect(new Redactor(['', '  ']).text('Dana')).toBe('Dana');
  });
});
