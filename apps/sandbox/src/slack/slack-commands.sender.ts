// Sends a slash command to Pulse the way Slack does: a form-encoded POST signed with the
// app's signing secret (v0 HMAC over "v0:timestamp:body"), which Pulse must answer within
// 3 seconds. Used by tests and by anyone trying `/pulse` against the sandbox.
import { postRaw, signLikeSlack, type SentSlackRequest } from './slack-sender';
import { SANDBOX_SLACK_SIGNING_SECRET } from '../credentials.constants';
import { SLACK_TEAM } from '../core/world.model';

export interface SlashCommand {
  /** Default "/pulse". */
  command?: string;
  /** What follows the command, e.g. "status" or "status Demo: slipping". */
  text: string;
  channelId: string;
  channelName?: string;
  userId?: string;
  userName?: string;
  /** Where Slack accepts delayed answers; Slack's own host by default. */
  responseUrl?: string;
}

/** A slash command sent to Pulse and its answer. */
export type SentSlashCommand = SentSlackRequest;

/** The form body Slack sends for a slash command. */
export function slashCommandBody(cmd: SlashCommand, triggerSeq = 1): string {
  return new URLSearchParams({
    token: 'sandbox-verification-token-deprecated',
    team_id: SLACK_TEAM.id,
    team_domain: SLACK_TEAM.domain,
    channel_id: cmd.channelId,
    channel_name: cmd.channelName ?? 'sandbox',
    user_id: cmd.userId ?? 'U0SANDBOX01',
    user_name: cmd.userName ?? 'sandbox.user',
    command: cmd.command ?? '/pulse',
    text: cmd.text,
    api_app_id: 'A0SANDBOXPULSE',
    is_enterprise_install: 'false',
    response_url:
      cmd.responseUrl ??
      `https://hooks.slack.com/commands/${SLACK_TEAM.id}/${1000 + triggerSeq}/sandbox${triggerSeq}`,
    trigger_id: `${1000 + triggerSeq}.${SLACK_TEAM.id}.sandbox`,
  }).toString();
}

let seq = 0;

/** Signs and posts one slash command to `url` (Pulse's /api/slack/commands). */
export async function sendSlashCommand(
  url: string,
  cmd: SlashCommand,
  options: { signingSecret?: string; nowMs?: number } = {},
): Promise<SentSlashCommand> {
  const rawBody = slashCommandBody(cmd, ++seq);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    ...signLikeSlack(
      options.signingSecret ?? SANDBOX_SLACK_SIGNING_SECRET,
      rawBody,
      options.nowMs ?? Date.now(),
    ),
  };
  return post(url, rawBody, headers);
}

/** Posts bytes and headers as they are (a replay of a captured request). */
export const post = postRaw;
