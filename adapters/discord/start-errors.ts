import { DiscordjsError, DiscordjsErrorCodes } from 'discord.js';
import { credentialsRefused, hostOf, networkFailure, platformUnreachable } from '../../src/core/errors.ts';

const PORTAL = 'https://discord.com/developers/applications';

/**
 * A failed Discord login, told apart for the person starting Heed: a refused token or intents (exit
 * code "refused"), or Discord out of reach (exit code "unreachable"). Anything else passes through.
 */
export function explainDiscordStartFailure(error: unknown, apiUrl: string | undefined): unknown {
  if (
    (error instanceof DiscordjsError && error.code === DiscordjsErrorCodes.TokenInvalid) ||
    (error instanceof Error && error.message === 'Authentication failed')
  ) {
    return credentialsRefused(
      `Discord refused DISCORD_TOKEN (401 Unauthorized); copy the bot token again: ${PORTAL} → your application → Bot → Reset Token`,
      error,
    );
  }
  if (error instanceof Error && /disallowed intents/i.test(error.message)) {
    return credentialsRefused(
      `Discord refused Heed's gateway intents (close code 4014): turn on the Message Content Intent under ${PORTAL} → your application → Bot → Privileged Gateway Intents`,
      error,
    );
  }
  const network = networkFailure(error);
  if (network !== undefined) {
    return platformUnreachable(
      `Cannot reach ${hostOf(apiUrl) ?? 'discord.com'} (${network}); check the network, a proxy, or DISCORD_API_URL`,
      error,
    );
  }
  return error;
}
