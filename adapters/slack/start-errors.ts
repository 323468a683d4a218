import { webApi } from '@slack/bolt';
import { credentialsRefused, hostOf, networkFailure, platformUnreachable } from '../../src/core/errors.ts';

const TOKEN_ADVICE = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token (xoxb-…) again from your app's OAuth & Permissions page",
  SLACK_APP_TOKEN:
    'create an app-level token with the connections:write scope under Basic Information → App-Level Tokens, and copy it (xapp-…) again',
} as const;

/**
 * A failed first call to Slack, told apart: Slack answered and refused the token (exit code "refused"),
 * or Slack could not be reached or answered with an HTTP error (exit code "unreachable").
 */
export function explainStartFailure(
  error: unknown,
  token: keyof typeof TOKEN_ADVICE,
  apiUrl: string | undefined,
): Error {
  if (error instanceof webApi.WebAPIPlatformError) {
    return credentialsRefused(`Slack refused ${token} (${error.data.error}); ${TOKEN_ADVICE[token]}`, error);
  }
  const host = hostOf(apiUrl) ?? 'slack.com';
  const network = networkFailure(error);
  if (network !== undefined) {
    return platformUnreachable(
      `Cannot reach ${host} (${network}); check the network, a proxy, or SLACK_API_URL`,
      error,
    );
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    return platformUnreachable(
      `${host} answered HTTP ${error.statusCode} instead of Slack's Web API; check SLACK_API_URL, a proxy, or https://slack-status.com`,
      error,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
