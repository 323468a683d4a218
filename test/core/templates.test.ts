import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/core/templates.ts';
import { rich, toPlainText } from '../../src/messages/rich-text.ts';

describe('config templates', () => {
  it('starts Heed-authored wording with a capital where a sentence starts, and leaves it alone elsewhere', () => {
    const values = { owner: rich`our team`, customer: 'lee' };
    expect(toPlainText(renderTemplate('Sorry, {customer}. {owner} is on it.', values))).toBe(
      'Sorry, lee. Our team is on it.',
    );
    expect(toPlainText(renderTemplate('{owner} has been told.', values))).toBe('Our team has been told.');
    expect(toPlainText(renderTemplate('Open again and {owner} has been told.', values))).toBe(
      'Open again and our team has been told.',
    );
  });

  it('capitalises after a value that ends a sentence too, such as an apology reason ending in a full stop', () => {
    const template = 'Sorry for the wait on {ref}, {customer}. {reason} {owner} is on it.';
    const values = { ref: rich`#2`, customer: 'Lee', owner: rich`our team` };
    expect(toPlainText(renderTemplate(template, { ...values, reason: 'The month closed.' }))).toBe(
      'Sorry for the wait on #2, Lee. The month closed. Our team is on it.',
    );
    expect(toPlainText(renderTemplate(template, { ...values, reason: 'Sorry!' }))).toContain(
      'Sorry! Our team',
    );
    expect(toPlainText(renderTemplate(template, { ...values, reason: 'it slipped, and' }))).toContain(
      'it slipped, and our team',
    );
  });

  it('never changes what a customer wrote, and leaves unknown placeholders visible', () => {
    expect(toPlainText(renderTemplate('Hi. {customer} {nope}', { customer: 'lee' }))).toBe('Hi. lee {nope}');
  });
});
