import type { IncomingMessage } from 'node:http';
import { decodeJsonFields } from './web-api.ts';

/** A decoded Web API request. */
export interface ApiRequest {
  args: Record<string, unknown>;
  token: string | undefined;
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Decodes query string plus a form or JSON body; the token comes from `Authorization: Bearer` or `token`. */
export function parseApiRequest(req: IncomingMessage, raw: string): ApiRequest {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/json')) {
    try {
      const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null) Object.assign(args, parsed);
    } catch {
      args.__invalid_json = raw;
    }
  } else if (raw !== '') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
  }
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const bodyToken = typeof args.token === 'string' ? args.token : undefined;
  delete args.token;
  return { args: decodeJsonFields(args), token: bearer || bodyToken };
}
