import { describe, expect, it } from 'vitest';
import { peopleReader } from '../../src/commands/people-reader.ts';
import { emailKey, identityKey } from '../../src/customers/identity.ts';
import { REFERENCES } from '../support/references.ts';

// Read as the core reads them: through each adapter's parser (Slack's and Discord's), for a Slack writer.
const parseIdentityToken = (token: string) => peopleReader(REFERENCES, 'slack').anyone(token);
const platformOfUserId = (id: string) => parseIdentityToken(id)?.platform;

describe('identities as staff type them', () => {
  it.each([
    ['slack:U0123ABC', { platform: 'slack', id: 'U0123ABC' }],
    ['SLACK:u0123abc', { platform: 'slack', id: 'U0123ABC' }],
    ['discord:123456789012345678', { platform: 'discord', id: '123456789012345678' }],
    ['<@U0123ABC|dana>', { platform: 'slack', id: 'U0123ABC' }],
    ['<@U0123ABC>', { platform: 'slack', id: 'U0123ABC' }],
    ['<@!123456789012345678>', { platform: 'discord', id: '123456789012345678' }],
    ['<@123456789012345678>', { platform: 'discord', id: '123456789012345678' }],
    ['W0123ABC', { platform: 'slack', id: 'W0123ABC' }],
    ['123456789012345678', { platform: 'discord', id: '123456789012345678' }],
  ])('reads %s', (token, expected) => {
    expect(parseIdentityToken(token)).toEqual(expected);
  });

  it.each([
    'dana',
    '@dana',
    '#42',
    '42',
    'slack:123456789012345678',
    'discord:U0123ABC',
    'teams:U0123ABC',
    '<#C0123ABC>',
    '',
  ])('refuses %j', (token) => {
    expect(parseIdentityToken(token)).toBeUndefined();
  });

  it('keys identities and e-mails', () => {
    expect(identityKey({ platform: 'discord', id: '123456789012345678' })).toBe('discord:123456789012345678');
    expect(platformOfUserId('U0CUST01')).toBe('slack');
    expect(platformOfUserId('not-an-id')).toBeUndefined();
    expect(emailKey('  Dana@BigCo.COM ')).toBe('dana@bigco.com');
    expect(emailKey('not an e-mail')).toBeUndefined();
    expect(emailKey(undefined)).toBeUndefined();
  });
});
