import { describe, expect, it } from 'vitest';
import { failureReference, friendlyFailure, HeedError } from '../../src/core/errors.ts';

describe('failure references', () => {
  it("keeps a HeedError's own reference, so the reply and the log line name the same one", () => {
    const error = new HeedError('STORE_UNAVAILABLE', 'the store is away');
    expect(failureReference(error)).toBe(error.reference);
    expect(error.reference).toMatch(/^E-[0-9a-f]{6}$/);
  });

  it('gives any other failure a fresh reference of the same shape each time', () => {
    const first = failureReference(new Error('boom'));
    const second = failureReference(new Error('boom'));
    expect(first).toMatch(/^E-[0-9a-f]{6}$/);
    expect(second).not.toBe(first);
    expect(friendlyFailure(first)).toContain(`give your admin the reference ${first}.`);
  });
});
