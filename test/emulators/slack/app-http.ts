import { request } from 'node:http';

/** The app's HTTP answer. */
export interface HttpAnswer {
  status: number;
  body: unknown;
  text: string;
  headers: Record<string, string>;
  elapsedMs: number;
}

/** POSTs a body to the app over a fresh connection (no keep-alive, so the app can stop cleanly). */
export function postToApp(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parseBody(text, responseHeaders['content-type']),
            text,
            headers: responseHeaders,
            elapsedMs: Date.now() - started,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`App did not answer ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text !== '' && contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
