// Slack Web API under /slack/api/: always HTTP 200 with ok:false for errors, except
// rate limits (429 + Retry-After), with cursor pagination as Slack does it.
import { type FaultsService } from '../core/faults.service';
import { type Reply, type SandboxRequest, intParam, json, parseParams } from '../core/http.util';
import { SLACK_BOT, SLACK_CI_BOT, SLACK_TEAM } from '../core/world.model';
import { type WorldStore } from '../core/world.store';
import { type PostedSlackMessage, type SlashCommandResponse } from '../sandbox.types';
import { SlackChatRoutes } from './slack-chat.routes';
import { LIMITED_PAGE_SIZE, METHOD_SCOPE, SlackRateLimiter, slackTokenProfile } from './slack-app-class';
import { type ReplyModel, type SlackMessageModel, makeTs, tsKey } from './slack.generator';
import { liveReplies, tombstone, visibleInHistory } from './slack-mutations';

const MESSAGE_FIELDS = ['ts', 'user', 'type', 'text'] as const;

const cursorOf = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64');
function offsetOf(cursor: string | undefined): number | undefined {
  if (!cursor) return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export class SlackRoutes {
  readonly posted: PostedSlackMessage[] = [];
  readonly slashResponses: SlashCommandResponse[] = [];
  private postSeq = 0;
  readonly chat: SlackChatRoutes;

  constructor(
    private readonly world: WorldStore,
    private readonly faults: FaultsService,
    private readonly limiter = new SlackRateLimiter(Date.now),
  ) {
    this.chat = new SlackChatRoutes(world, this.posted);
  }

  reset(): void {
    this.posted.length = 0;
    this.slashResponses.length = 0;
    this.postSeq = 0;
    this.chat.reset();
    this.limiter.reset();
  }

  /**
   * A slash command's `response_url` (Slack's is `https://hooks.slack.com/commands/T…/…/…`):
   * a JSON message, at most 5 per URL (Slack allows 5 within 30 minutes of the command).
   */
  respond(path: string, req: SandboxRequest): Reply {
    if (req.method !== 'POST') return json(405, { ok: false, error: 'method_not_allowed' });
    if (!/^application\/json\b/i.test(String(req.headers['content-type'] ?? '')))
      return json(400, { ok: false, error: 'invalid_payload' });
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return json(400, { ok: false, error: 'invalid_payload' });
    }
    if (this.slashResponses.filter((r) => r.path === path).length >= 5)
      return json(404, { ok: false, error: 'used_url' });
    this.slashResponses.push({ path, body, receivedAt: new Date(Date.now()).toISOString() });
    return json(200, { ok: true });
  }

  handle(req: SandboxRequest): Reply {
    const method = req.path.replace(/^\//, '');
    const params = parseParams(req);
    const auth = String(req.headers['authorization'] ?? '');
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1] ?? params['token'];
    const fault = this.faults.decide('slack');
    const ok = (body: Record<string, unknown>): Reply => json(200, { ok: true, ...body });
    const fail = (error: string, extra: Record<string, unknown> = {}): Reply =>
      json(200, { ok: false, error, ...extra });
    if (!token) return fail('not_authed');
    if (fault.kind === 'revoked') return fail('token_revoked');
    const profile = slackTokenProfile(token);
    if (!profile) return fail('invalid_auth');
    if (profile.inactive) return fail('account_inactive');
    const scope = METHOD_SCOPE[method];
    if (scope && !profile.scopes.includes(scope))
      return fail('missing_scope', { needed: scope, provided: profile.scopes.join(',') });
    if (!profile.invited && (method === 'conversations.history' || method === 'conversations.replies')) {
      if (this.world.channel(params['channel'] ?? '')) return fail('not_in_channel');
    }
    const wait = this.limiter.admit(token, profile, method);
    if (wait > 0) return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
    if (profile.appClass === 'limited_2025' && /^conversations\.(history|replies)$/.test(method))
      params['limit'] = String(
        Math.min(intParam(params['limit'], LIMITED_PAGE_SIZE, 1, 999), LIMITED_PAGE_SIZE),
      );
    if (fault.kind === 'rateLimit')
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter) });
    if (fault.kind === 'error5xx')
      return {
        status: 503,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Service Unavailable</body></html>',
      };
    const limitOf = (def: number, max: number): number => intParam(params['limit'], def, 1, max);
    switch (method) {
      case 'api.test':
        return ok({ args: params });
      case 'auth.test':
        return ok({
          url: `https://${SLACK_TEAM.domain}.slack.com/`,
          team: SLACK_TEAM.name,
          user: SLACK_BOT.name,
          team_id: SLACK_TEAM.id,
          user_id: SLACK_BOT.userId,
          bot_id: SLACK_BOT.botId,
          is_enterprise_install: false,
        });
      case 'users.list': {
        const members = this.members();
        const offset = offsetOf(params['cursor']);
        if (offset === undefined) return fail('invalid_cursor');
        const limit = limitOf(200, 1000);
        const pageItems = members.slice(offset, offset + limit);
        const next = offset + limit < members.length ? cursorOf(offset + limit) : '';
        return ok({
          members: pageItems,
          cache_ts: Math.floor(this.world.now / 1000),
          response_metadata: { next_cursor: next },
        });
      }
      case 'conversations.list': {
        const all = this.world.scenarios.flatMap((s) =>
          s.channels.map((c) => this.channelInfo(c.ctx.channel.id) as Record<string, unknown>),
        );
        const offset = offsetOf(params['cursor']);
        if (offset === undefined) return fail('invalid_cursor');
        const limit = limitOf(100, 1000);
        return ok({
          channels: all.slice(offset, offset + limit),
          response_metadata: { next_cursor: offset + limit < all.length ? cursorOf(offset + limit) : '' },
        });
      }
      case 'conversations.info': {
        const info = this.channelInfo(params['channel'] ?? '');
        return info ? ok({ channel: info }) : fail('channel_not_found');
      }
      case 'conversations.history':
        return this.history(params);
      case 'conversations.replies':
        return this.replies(params);
      case 'chat.postMessage':
        return (
          this.chat.failure(method, params) ?? this.chat.invalidBlocks(params) ?? this.postMessage(params)
        );
      case 'chat.update':
        return (
          this.chat.failure(method, params) ?? this.chat.invalidBlocks(params) ?? this.chat.update(params)
        );
      case 'users.info': {
        const user = this.members().find((u) => u['id'] === params['user']);
        return user ? ok({ user }) : fail('user_not_found');
      }
      case 'chat.getPermalink': {
        const channel = params['channel'] ?? '';
        if (!this.world.channel(channel)) return fail('channel_not_found');
        const ts = params['message_ts'] ?? '';
        if (!this.findParent(channel, ts)) return fail('message_not_found');
        return ok({
          channel,
          permalink: `https://${SLACK_TEAM.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`,
        });
      }
      default:
        return json(404, { ok: false, error: 'unknown_method', req_method: method });
    }
  }

  private members(): Record<string, unknown>[] {
    const people = this.world.scenarios.flatMap((s) => s.scenario.people);
    const member = (
      id: string,
      name: string,
      real: string,
      extra: Record<string, unknown>,
      profile: Record<string, unknown>,
    ): Record<string, unknown> => ({
      id,
      team_id: SLACK_TEAM.id,
      name,
      deleted: false,
      color: '9f69e7',
      real_name: real,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_app_user: false,
      updated: Math.floor(this.world.frame.start / 1000),
      ...extra,
      profile: {
        real_name: real,
        real_name_normalized: real,
        display_name: name,
        display_name_normalized: name,
        team: SLACK_TEAM.id,
        ...profile,
      },
    });
    return [
      ...people.map((p) =>
        member(
          p.slackId,
          p.email.split('@')[0] as string,
          p.name,
          {
            is_bot: false,
            tz: p.timeZone,
            tz_label: p.timeZone === 'Asia/Manila' ? 'Philippine Standard Time' : 'Central Standard Time',
            tz_offset: p.timeZone === 'Asia/Manila' ? 28800 : -21600,
            ...(p.leftAt !== undefined && p.leftAt <= this.world.now ? { deleted: true } : {}),
          },
          { email: p.email, first_name: p.name.split(' ')[0], last_name: p.name.split(' ')[1] },
        ),
      ),
      member(
        SLACK_BOT.userId,
        SLACK_BOT.name,
        'Pulse',
        { is_bot: true, tz: 'America/Los_Angeles', tz_offset: -28800 },
        { bot_id: SLACK_BOT.botId, api_app_id: SLACK_BOT.appId, always_active: true },
      ),
      member(
        SLACK_CI_BOT.userId,
        SLACK_CI_BOT.name,
        'CI Notifier',
        { is_bot: true, tz: 'America/Los_Angeles', tz_offset: -28800 },
        { bot_id: SLACK_CI_BOT.botId, always_active: true },
      ),
    ];
  }

  private channelInfo(id: string): Record<string, unknown> | undefined {
    const c = this.world.channel(id);
    if (!c) return undefined;
    const ch = c.ctx.channel;
    return {
      id: ch.id,
      name: ch.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_private: false,
      is_archived: false,
      is_general: false,
      is_member: true,
      created: Math.floor(this.world.frame.start / 1000) - 86400 * 30,
      creator: c.ctx.scenario.people[0]?.slackId ?? '',
      name_normalized: ch.name,
      topic: { value: `${c.ctx.scenario.name} engagement`, creator: '', last_set: 0 },
      purpose: { value: 'Client ↔ vendor delivery channel', creator: '', last_set: 0 },
      num_members: c.ctx.scenario.people.length + 1,
    };
  }

  private message(m: SlackMessageModel): Record<string, unknown> {
    if (m.deleted) return { ...tombstone(m), ...this.threadInfo(m) };
    const out: Record<string, unknown> = { type: 'message' };
    if (m.subtype) out['subtype'] = m.subtype;
    if (m.subtype === 'bot_message') {
      out['bot_id'] = m.botId;
      out['username'] = m.username;
    } else out['user'] = m.user;
    out['text'] = m.text;
    out['ts'] = m.ts;
    if (m.edited) out['edited'] = { ...m.edited };
    Object.assign(out, this.threadInfo(m));
    out['team'] = SLACK_TEAM.id;
    return out;
  }

  /** A parent's thread fields, counting only live replies (none without any). */
  private threadInfo(m: SlackMessageModel): Record<string, unknown> {
    const replies = liveReplies(m);
    if (replies.length === 0) return {};
    const users = [...new Set(replies.map((r) => r.user))];
    return {
      thread_ts: m.ts,
      reply_count: replies.length,
      reply_users_count: users.length,
      latest_reply: replies[replies.length - 1]?.ts,
      reply_users: users,
      is_locked: false,
      subscribed: false,
    };
  }

  private reply(m: SlackMessageModel, r: ReplyModel): Record<string, unknown> {
    return {
      type: 'message',
      user: r.user,
      text: r.text,
      ts: r.ts,
      ...(r.edited ? { edited: { ...r.edited } } : {}),
      thread_ts: m.ts,
      parent_user_id: m.user,
      team: SLACK_TEAM.id,
    };
  }

  private history(params: Record<string, string>): Reply {
    const c = this.world.channel(params['channel'] ?? '');
    if (!c) return json(200, { ok: false, error: 'channel_not_found' });
    // Slack's history cursors name the next message (`next_ts:<ts>`), so they stay valid
    // while new messages arrive between two pages.
    const nextTs = historyCursorTs(params['cursor']);
    if (nextTs === null) return json(200, { ok: false, error: 'invalid_cursor' });
    const limit = intParam(params['limit'], 100, 1, 999);
    const inclusive = params['inclusive'] === 'true' || params['inclusive'] === '1';
    const oldest = params['oldest'] ? tsKey(params['oldest']) : undefined;
    const latest = params['latest'] ? tsKey(params['latest']) : undefined;
    // key bounds: microsecond steps are 0.001 ms; nudge exclusive bounds by half a step
    const from = oldest === undefined ? undefined : inclusive ? oldest : oldest + 0.0005;
    let to = latest === undefined ? undefined : inclusive ? latest + 0.0005 : latest;
    if (nextTs !== undefined) to = Math.min(to ?? Infinity, tsKey(nextTs) + 0.0005);
    const { items: fetched } = c.messages.query({
      sig: 'history',
      filter: visibleInHistory,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined && Number.isFinite(to) ? { to } : {}),
      desc: true,
      offset: 0,
      limit: limit + 1,
    });
    const hasMore = fetched.length > limit;
    const items = fetched.slice(0, limit);
    const messages = this.faults.malform(
      'slack',
      items.map((m) => this.message(m)),
      MESSAGE_FIELDS,
    );
    return json(200, {
      ok: true,
      messages,
      has_more: hasMore,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: {
        next_cursor: hasMore
          ? Buffer.from(`next_ts:${fetched[limit]!.ts.replace('.', '')}`).toString('base64')
          : '',
      },
    });
  }

  private findParent(channelId: string, ts: string): SlackMessageModel | undefined {
    const c = this.world.channel(channelId);
    if (!c) return undefined;
    const key = tsKey(ts);
    const b = c.messages.blockOfKey(key);
    if (b >= 0 && b < c.messages.blockCount) {
      const hit = c.messages.block(b).find((m) => m.ts === ts);
      if (hit) return hit;
    }
    return c.messages.tail.find((m) => m.ts === ts);
  }

  private replies(params: Record<string, string>): Reply {
    const channel = params['channel'] ?? '';
    if (!this.world.channel(channel)) return json(200, { ok: false, error: 'channel_not_found' });
    const parent = this.findParent(channel, params['ts'] ?? '');
    if (!parent || !visibleInHistory(parent)) return json(200, { ok: false, error: 'thread_not_found' });
    const offset = offsetOf(params['cursor']);
    if (offset === undefined) return json(200, { ok: false, error: 'invalid_cursor' });
    const limit = intParam(params['limit'], 1000, 1, 1000);
    const inclusive = params['inclusive'] === 'true' || params['inclusive'] === '1';
    const oldest = params['oldest'] ? tsKey(params['oldest']) : -Infinity;
    const latest = params['latest'] ? tsKey(params['latest']) : Infinity;
    const inRange = (k: number): boolean =>
      inclusive ? k >= oldest && k <= latest : k > oldest && k < latest;
    const all: Record<string, unknown>[] = [
      this.message(parent),
      ...liveReplies(parent)
        .filter((r) => inRange(r.key))
        .map((r) => this.reply(parent, r)),
    ];
    const pageItems = all.slice(offset, offset + limit);
    const hasMore = offset + limit < all.length;
    return json(200, {
      ok: true,
      messages: this.faults.malform('slack', pageItems, MESSAGE_FIELDS),
      has_more: hasMore,
      response_metadata: { next_cursor: hasMore ? cursorOf(offset + limit) : '' },
    });
  }

  private postMessage(params: Record<string, string>): Reply {
    const c = this.world.channel(params['channel'] ?? '');
    if (!c) return json(200, { ok: false, error: 'channel_not_found' });
    const text = params['text'] ?? '';
    const blocks = params['blocks'];
    if (!text && !blocks) return json(200, { ok: false, error: 'no_text' });
    const ts = makeTs(this.world.now + ++this.postSeq * 1000, this.postSeq);
    const rec: PostedSlackMessage = {
      channel: c.ctx.channel.id,
      ts,
      text,
      postedAt: new Date(Date.now()).toISOString(),
    };
    if (blocks) rec.blocks = safeJson(blocks);
    if (params['thread_ts']) rec.threadTs = params['thread_ts'];
    this.posted.push(rec);
    const message: Record<string, unknown> = {
      bot_id: SLACK_BOT.botId,
      type: 'message',
      text,
      user: SLACK_BOT.userId,
      ts,
      app_id: SLACK_BOT.appId,
      team: SLACK_TEAM.id,
      bot_profile: {
        id: SLACK_BOT.botId,
        app_id: SLACK_BOT.appId,
        name: SLACK_BOT.name,
        deleted: false,
        team_id: SLACK_TEAM.id,
      },
    };
    if (rec.blocks !== undefined) message['blocks'] = rec.blocks;
    if (rec.threadTs) message['thread_ts'] = rec.threadTs;
    return json(200, { ok: true, channel: c.ctx.channel.id, ts, message });
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** The ts a `next_ts:` history cursor names; undefined without a cursor, null when unreadable. */
function historyCursorTs(cursor: string | undefined): string | undefined | null {
  if (!cursor) return undefined;
  const m = /^next_ts:(\d{7,})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) return null;
  const digits = m[1]!;
  return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
}
