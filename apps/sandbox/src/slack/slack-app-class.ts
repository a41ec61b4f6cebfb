// Per-token behaviour of the sandbox's Slack: which app class the token belongs to (its
// rate limits), which channels the bot was invited to and which scopes it was granted.
import {
  SANDBOX_SLACK_BOT_TOKEN,
  SANDBOX_SLACK_INACTIVE_BOT_TOKEN,
  SANDBOX_SLACK_LIMITED_BOT_TOKEN,
  SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN,
  SANDBOX_SLACK_OUTSIDER_BOT_TOKEN,
} from '../credentials.constants';

export type SlackAppClass = 'tiered' | 'limited_2025';

export interface SlackTokenProfile {
  appClass: SlackAppClass;
  /** false: the bot is in no channel (history/replies answer not_in_channel). */
  invited: boolean;
  scopes: readonly string[];
  /** The bot user was deactivated: every call answers account_inactive. */
  inactive: boolean;
}

const ALL_SCOPES = [
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'users:read',
  'users:read.email',
  'chat:write',
  'commands',
] as const;

const PROFILES: Record<string, SlackTokenProfile> = {
  [SANDBOX_SLACK_BOT_TOKEN]: { appClass: 'tiered', invited: true, scopes: ALL_SCOPES, inactive: false },
  [SANDBOX_SLACK_LIMITED_BOT_TOKEN]: {
    appClass: 'limited_2025',
    invited: true,
    scopes: ALL_SCOPES,
    inactive: false,
  },
  [SANDBOX_SLACK_OUTSIDER_BOT_TOKEN]: {
    appClass: 'tiered',
    invited: false,
    scopes: ALL_SCOPES,
    inactive: false,
  },
  [SANDBOX_SLACK_NO_HISTORY_BOT_TOKEN]: {
    appClass: 'tiered',
    invited: true,
    scopes: ALL_SCOPES.filter((s) => s !== 'channels:history' && s !== 'groups:history'),
    inactive: false,
  },
  [SANDBOX_SLACK_INACTIVE_BOT_TOKEN]: {
    appClass: 'tiered',
    invited: true,
    scopes: ALL_SCOPES,
    inactive: true,
  },
};

export const slackTokenProfile = (token: string): SlackTokenProfile | undefined => PROFILES[token];

/** The scope each method needs (what missing_scope names in `needed`). */
export const METHOD_SCOPE: Record<string, string> = {
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
  'conversations.info': 'channels:read',
  'conversations.list': 'channels:read',
  'users.list': 'users:read',
  'users.info': 'users:read',
  'chat.postMessage': 'chat:write',
  'chat.getPermalink': 'channels:read',
};

const LIMITED_METHODS = new Set(['conversations.history', 'conversations.replies']);
const MINUTE = 60_000;
/** Slack caps history/replies pages at 15 messages for the 2025 class. */
export const LIMITED_PAGE_SIZE = 15;

/**
 * The 2025 class's limit: one history/replies request a minute per method and token, else
 * 429 with the seconds to wait. Its clock is injectable so tests pace on a virtual one.
 */
export class SlackRateLimiter {
  private readonly last = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  reset(): void {
    this.last.clear();
  }

  /** Seconds to wait before `method` may be called again, or 0 (and the call is counted). */
  admit(token: string, profile: SlackTokenProfile, method: string): number {
    if (profile.appClass !== 'limited_2025' || !LIMITED_METHODS.has(method)) return 0;
    const key = `${token}\n${method}`;
    const now = this.clock();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < MINUTE) return Math.ceil((previous + MINUTE - now) / 1000);
    this.last.set(key, now);
    return 0;
  }
}
