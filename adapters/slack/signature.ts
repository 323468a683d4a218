import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's tolerance for request timestamps, in both directions. */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureProblem =
  | 'missing-headers'
  | 'malformed-timestamp'
  | 'stale'
  | 'future'
  | 'bad-signature';

export type SignatureVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: SignatureProblem; readonly skewSeconds?: number };

export interface SignedRequest {
  readonly signingSecret: string;
  /** `x-slack-signature`. */
  readonly signature: string | undefined;
  /** `x-slack-request-timestamp`, in seconds. */
  readonly timestamp: string | undefined;
  readonly rawBody: Buffer;
  readonly nowMs: number;
  readonly maxSkewSeconds?: number;
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`). */
export function computeSignature(signingSecret: string, timestamp: string, rawBody: Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Verifies a Slack request signature over the raw body with a timing-safe comparison, and refuses
 * timestamps more than five minutes old or more than five minutes in the future (pure).
 */
export function verifySlackSignature(request: SignedRequest): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp) return { ok: false, problem: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, problem: 'malformed-timestamp' };
  const skewSeconds = Math.floor(request.nowMs / 1000) - Number(timestamp);
  const max = request.maxSkewSeconds ?? MAX_SKEW_SECONDS;
  if (skewSeconds > max) return { ok: false, problem: 'stale', skewSeconds };
  if (skewSeconds < -max) return { ok: false, problem: 'future', skewSeconds };
  const expected = Buffer.from(computeSignature(request.signingSecret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'bad-signature' };
  }
  return { ok: true };
}
