// Credentials the sandbox accepts. They are public test values, never real secrets.

/** GitHub token (send as `Authorization: token …` or `Bearer …`). */
export const SANDBOX_GITHUB_TOKEN = 'ghp_sandbox_pulse_demo_0000000000000001';
/** Any token with this prefix is also accepted and gets its own rate-limit quota. */
export const SANDBOX_GITHUB_TOKEN_PREFIX = 'ghp_sandbox_';
/** Jira Cloud style basic auth: account email + API token. */
export const SANDBOX_JIRA_EMAIL = 'pulse-bot@sandbox.pulse.test';
export const SANDBOX_JIRA_API_TOKEN = 'sandbox-jira-api-token-0001';
/** Jira Data Center style personal access token (`Authorization: Bearer …`). */
export const SANDBOX_JIRA_PAT = 'sandbox-jira-dc-pat-0001';
/** Slack bot token (xoxb-). */
export const SANDBOX_SLACK_BOT_TOKEN = 'xoxb-sandbox-pulse-0001-bot-token';
/** The Slack app's signing secret: the sandbox signs the events and commands it sends with it. */
export const SANDBOX_SLACK_SIGNING_SECRET = 'sandbox-slack-signing-secret-0001';

export const SANDBOX_CREDENTIALS = {
  github: { token: SANDBOX_GITHUB_TOKEN },
  jira: {
    email: SANDBOX_JIRA_EMAIL,
    apiToken: SANDBOX_JIRA_API_TOKEN,
    personalAccessToken: SANDBOX_JIRA_PAT,
  },
  slack: { botToken: SANDBOX_SLACK_BOT_TOKEN, signingSecret: SANDBOX_SLACK_SIGNING_SECRET },
} as const;

/** The instant the sandbox treats as "now" unless told otherwise (stable tests). */
export const SANDBOX_DEFAULT_NOW = '2026-11-20T12:00:00.000Z';
export const SANDBOX_DEFAULT_SEED = 'pulse';

/**
 * More Slack bot tokens, one per kind of app or install the collector must cope with:
 * a non-Marketplace app created after 2025-05-29 (1 history/replies request a minute,
 * 15 messages a page), a bot invited to no channel, an install without `channels:history`,
 * and a deactivated bot user.
 */
export const SANDBOX_SLACK_LIMITED_BOT_TOKEN = 'xoxb-sandbox-pulse-0002-limited-app';
export const SANDBOX_SLACK_OUTSIDER_BOT_TOKEN = 'xoxb-sandbox-pulse-0003-not-invited';
export const SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN = 'xoxb-sandbox-pulse-0004-no-history-scope';
export const SANDBOX_SLACK_INACTIVE_BOT_TOKEN = 'xoxb-sandbox-pulse-0005-inactive';
