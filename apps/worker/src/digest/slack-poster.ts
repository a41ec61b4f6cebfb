import { ErrorCode, WebClient, type CodedError } from '@slack/web-api';
import { findOutboundRefusal, type OutboundPolicy } from '@pulse/connectors';

// Posts and updates one digest message with the engagement's bot token. The token lives
// only in this call's memory; every request goes through the outbound policy.

/** Slack error codes the digest explains, with the action that fixes each. */
const ACTIONS: Record<string, (channel: string) => string> = {
  not_in_channel: (c) =>
    `The Pulse app is not a member of channel ${c}: invite it (type "/invite @Pulse" in the channel), then send again.`,
  channel_not_found: (c) =>
    `Slack cannot find channel ${c} (deleted, or private without the app): check the channel id in the digest settings.`,
  is_archived: (c) =>
    `Channel ${c} is archived: unarchive it, or choose another channel in the digest settings.`,
  invalid_auth: () =>
    'Slack refused the bot token (invalid_auth): paste a valid xoxb- bot token in the Slack connection.',
  token_revoked: () =>
    'The bot token was revoked: reinstall the Slack app and paste its new token in the Slack connection.',
  not_authed: () => "No bot token is stored for the Slack connection: paste the app's xoxb- token.",
  missing_scope: () =>
    'The Slack app lacks the chat:write scope: add it, reinstall the app, and paste the new token.',
};

/** Errors that another attempt cannot fix: the job stops and waits for a person. */
const PERMANENT = new Set(Object.keys(ACTIONS));

export class SlackPostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
    /** Seconds Slack asked to wait (ratelimited). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

export function explainSlackError(e: unknown, channel: string): SlackPostError {
  const coded = e as Partial<CodedError> & {
    data?: { error?: string };
    retryAfter?: number;
    statusCode?: number;
  };
  const refused = findOutboundRefusal(e);
  if (refused)
    return new SlackPostError(
      'outbound_refused',
      `Pulse refused to reach Slack: ${refused.message}. An administrator may allow the host (PULSE_ALLOWED_UPSTREAM_HOSTS).`,
      true,
    );
  if (coded.code === ErrorCode.RateLimitedError) {
    const wait = coded.retryAfter ?? 60;
    return new SlackPostError(
      'ratelimited',
      `Slack rate limited the post (Retry-After ${wait} s): it is retried after that wait.`,
      false,
      wait,
    );
  }
  if (coded.code === ErrorCode.PlatformError) {
    const error = String(coded.data?.error ?? 'unknown_error');
    const action = ACTIONS[error];
    return new SlackPostError(
      error,
      action ? action(channel) : `Slack answered "${error}".`,
      PERMANENT.has(error),
    );
  }
  if (coded.code === ErrorCode.HTTPError)
    return new SlackPostError(
      'http_error',
      `Slack answered HTTP ${coded.statusCode ?? '?'}: retried.`,
      false,
    );
  const message = e instanceof Error ? e.message : String(e);
  return new SlackPostError('request_error', `Slack could not be reached (${message}): retried.`, false);
}

export interface SlackTarget {
  baseUrl: string;
  token: string;
  channel: string;
}

export interface PostedMessage {
  ts: string;
  channel: string;
}

export class SlackPoster {
  constructor(private readonly outbound: OutboundPolicy) {}

  private client(target: SlackTarget): WebClient {
    return new WebClient(target.token, {
      slackApiUrl: `${target.baseUrl.replace(/\/+$/, '')}/`,
      fetch: this.outbound.fetch,
      // Rate limits come back to us: the wait is recorded on the digest and honoured here.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: 20_000,
    });
  }

  async post(target: SlackTarget, message: { blocks: unknown[]; text: string }): Promise<PostedMessage> {
    await this.outbound.check(target.baseUrl);
    try {
      const res = await this.client(target).chat.postMessage({
        channel: target.channel,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
      });
      return { ts: String(res.ts), channel: String(res.channel ?? target.channel) };
    } catch (e) {
      throw explainSlackError(e, target.channel);
    }
  }

  /** Replaces a message already posted; `message_not_found` means it was deleted. */
  async update(
    target: SlackTarget,
    ts: string,
    message: { blocks: unknown[]; text: string },
  ): Promise<PostedMessage> {
    await this.outbound.check(target.baseUrl);
    try {
      const res = await this.client(target).chat.update({
        channel: target.channel,
        ts,
        text: message.text,
        blocks: message.blocks as never,
      });
      return { ts: String(res.ts ?? ts), channel: String(res.channel ?? target.channel) };
    } catch (e) {
      throw explainSlackError(e, target.channel);
    }
  }
}
