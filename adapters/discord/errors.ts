import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { HeedError } from '../../src/core/errors.ts';

/**
 * A Discord REST failure as an error that is safe to log: Discord's code and message, the method and
 * status. discord.js errors also carry the request URL (interaction webhooks put their token in it) and
 * the request body (customer text), so they never reach a log as they are. Other errors pass through.
 */
export function safeDiscordError(error: unknown, what: string): unknown {
  if (error instanceof DiscordAPIError) {
    return new HeedError(
      `discord-api-${error.code}`,
      `${what}: Discord answered ${error.status}: ${error.message}`,
      {
        status: error.status,
        code: String(error.code),
        method: error.method,
      },
    );
  }
  if (error instanceof HTTPError) {
    return new HeedError('discord-http', `${what}: Discord answered ${error.status} ${error.name}`, {
      status: error.status,
      method: error.method,
    });
  }
  if (error instanceof RateLimitError) {
    return new HeedError('discord-rate-limited', `${what}: rate limited on ${error.route}`, {
      route: error.route,
      retryAfter: error.retryAfter,
    });
  }
  return error;
}
