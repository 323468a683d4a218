import { describe, expect, it } from 'vitest';
import { parseSlackBody } from '../../../adapters/slack/request-body.ts';
import { computeSignature, verifySlackSignature } from '../../../adapters/slack/signature.ts';
import { signSlackRequest } from '../../emulators/slack/index.ts';

const SECRET = 'shh';
const NOW = Date.parse('2026-11-23T10:00:00Z');
const body = Buffer.from('{"type":"event_callback"}');

function verify(timestamp: number, signature?: string) {
  return verifySlackSignature({
    signingSecret: SECRET,
    timestamp: String(timestamp),
    signature: signature ?? signSlackRequest(SECRET, timestamp, body.toString()),
    rawBody: body,
    nowMs: NOW,
  });
}

describe('Slack request signatures', () => {
  const now = NOW / 1000;

  it('computes the same signature as Slack', () => {
    expect(computeSignature(SECRET, String(now), body)).toBe(signSlackRequest(SECRET, now, body.toString()));
  });

  it('accepts a fresh, correctly signed request, up to five minutes either way', () => {
    expect(verify(now)).toEqual({ ok: true });
    expect(verify(now - 300)).toEqual({ ok: true });
    expect(verify(now + 300)).toEqual({ ok: true });
  });

  it('refuses stale and future timestamps, forged or truncated signatures and missing headers', () => {
    expect(verify(now - 301)).toEqual({ ok: false, problem: 'stale', skewSeconds: 301 });
    expect(verify(now + 301)).toEqual({ ok: false, problem: 'future', skewSeconds: -301 });
    expect(verify(now, signSlackRequest('other', now, body.toString()))).toEqual({
      ok: false,
      problem: 'bad-signature',
    });
    expect(verify(now, 'v0=abc')).toEqual({ ok: false, problem: 'bad-signature' });
    expect(
      verifySlackSignature({
        signingSecret: SECRET,
        signature: undefined,
        timestamp: '1',
        rawBody: body,
        nowMs: NOW,
      }),
    ).toEqual({ ok: false, problem: 'missing-headers' });
    expect(
      verifySlackSignature({
        signingSecret: SECRET,
        signature: 'v0=1',
        timestamp: '1e9',
        rawBody: body,
        nowMs: NOW,
      }),
    ).toEqual({ ok: false, problem: 'malformed-timestamp' });
  });
});

describe('Slack request bodies', () => {
  it('parses JSON events, form commands and form interactions (with or without a charset)', () => {
    expect(parseSlackBody('{"type":"url_verification"}', 'application/json')).toEqual({
      ok: true,
      body: { type: 'url_verification' },
    });
    expect(
      parseSlackBody('command=%2Fheed&text=claim+%232', 'application/x-www-form-urlencoded; charset=utf-8'),
    ).toEqual({
      ok: true,
      body: { command: '/heed', text: 'claim #2' },
    });
    const payload = encodeURIComponent(JSON.stringify({ type: 'block_actions' }));
    expect(parseSlackBody(`payload=${payload}`, 'application/x-www-form-urlencoded')).toEqual({
      ok: true,
      body: { type: 'block_actions' },
    });
  });

  it('refuses malformed bodies and unknown content types', () => {
    expect(parseSlackBody('{', 'application/json').ok).toBe(false);
    expect(parseSlackBody('[1]', 'application/json').ok).toBe(false);
    expect(parseSlackBody('payload=%7B', 'application/x-www-form-urlencoded').ok).toBe(false);
    expect(parseSlackBody('x', 'text/plain')).toEqual({
      ok: false,
      problem: 'unsupported content type text/plain',
    });
  });
});
