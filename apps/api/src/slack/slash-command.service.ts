import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConnectionEntity, DigestSettingsEntity, EngagementEntity } from '@pulse/db';
import { createOutboundPolicy, isAllowedHost, type OutboundPolicy } from '@pulse/connectors';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { DigestService } from '../digest/digest.service';

/** What Slack shows the person who typed the command (ephemeral: only them). */
export interface SlashReply {
  response_type: 'ephemeral';
  text: string;
  blocks?: unknown[];
}

interface Mapped {
  engagement: EngagementEntity;
  audience: 'client' | 'vendor';
}

/** Blocks of the digest that make the status answer: header, status and score, what needs attention. */
const SUMMARY_BLOCKS = 3;

export const HELP_TEXT = [
  '*/pulse* shows the health of the engagements this channel follows.',
  '• `/pulse status` — the current status of this channel’s engagement',
  '• `/pulse status <name>` — one of them by name, when the channel follows several',
  '• `/pulse help` — this help',
  'A channel follows an engagement when a manager adds it to the engagement’s Slack connection or digest settings in Pulse.',
].join('\n');

const NOT_LINKED =
  'This channel is not linked to any engagement in Pulse. A manager can add it in the engagement’s Slack digest settings.';

/**
 * `/pulse`: answers only about engagements mapped to the channel the command came from (its
 * Slack connection's channels, or a digest channel — the vendor digest channel gets the vendor
 * summary). Nothing about any other engagement is ever named.
 */
@Injectable()
export class SlashCommandService {
  private readonly logger = new Logger('SlashCommand');
  private readonly outbound: OutboundPolicy;

  constructor(
    private readonly dataSource: DataSource,
    private readonly digests: DigestService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {
    this.outbound = createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS });
  }

  /** Engagements that follow `channelId`, and which audience that channel is. */
  async mapped(channelId: string): Promise<Mapped[]> {
    const [digestRows, slackRows] = await Promise.all([
      this.dataSource
        .getRepository(DigestSettingsEntity)
        .find({ where: [{ clientChannelId: channelId }, { vendorChannelId: channelId }] }),
      this.dataSource.getRepository(ConnectionEntity).findBy({ kind: 'slack' }),
    ]);
    const audience = new Map<string, 'client' | 'vendor'>();
    for (const c of slackRows) {
      const channels = (c.settings as { channelIds?: unknown }).channelIds;
      if (Array.isArray(channels) && channels.includes(channelId)) audience.set(c.engagementId, 'client');
    }
    for (const d of digestRows) {
      // The vendor's channel always gets the vendor summary, whatever else maps it.
      if (d.vendorChannelId === channelId) audience.set(d.engagementId, 'vendor');
      else if (!audience.has(d.engagementId)) audience.set(d.engagementId, 'client');
    }
    if (audience.size === 0) return [];
    const engagements = await this.dataSource
      .getRepository(EngagementEntity)
      .findBy([...audience.keys()].map((id) => ({ id })));
    return engagements
      .map((engagement) => ({ engagement, audience: audience.get(engagement.id)! }))
      .sort((a, b) => a.engagement.name.localeCompare(b.engagement.name));
  }

  async answer(form: Record<string, unknown>): Promise<SlashReply> {
    const channelId = typeof form['channel_id'] === 'string' ? form['channel_id'] : '';
    const text = typeof form['text'] === 'string' ? form['text'].trim() : '';
    const [verb = '', ...rest] = text.split(/\s+/);
    if (verb.toLowerCase() !== 'status') return { response_type: 'ephemeral', text: HELP_TEXT };
    const wanted = rest.join(' ').trim().toLowerCase();
    const mapped = channelId ? await this.mapped(channelId) : [];
    if (mapped.length === 0) return { response_type: 'ephemeral', text: NOT_LINKED };
    let pick: Mapped | undefined;
    if (wanted) {
      pick =
        mapped.find((m) => m.engagement.name.toLowerCase() === wanted) ??
        mapped.find((m) => m.engagement.name.toLowerCase().startsWith(wanted));
      if (!pick)
        return {
          response_type: 'ephemeral',
          text: `No engagement called "${rest.join(' ').slice(0, 100)}" is followed in this channel. This channel follows: ${mapped.map((m) => m.engagement.name).join(', ')}.`,
        };
    } else if (mapped.length === 1) {
      pick = mapped[0];
    } else {
      return {
        response_type: 'ephemeral',
        text: `This channel follows ${mapped.length} engagements: ${mapped.map((m) => m.engagement.name).join(', ')}. Ask \`/pulse status <name>\`.`,
      };
    }
    const content = await this.digests.content(pick!.engagement, pick!.audience);
    return {
      response_type: 'ephemeral',
      text: content.text.split('\n').slice(0, 2).join('\n'),
      blocks: content.blocks.slice(0, SUMMARY_BLOCKS),
    };
  }

  /**
   * The delayed answer through `response_url` — only to Slack's own hook host, or a host the
   * administrator allowed (the sandbox), through the outbound policy.
   */
  async followUp(responseUrl: unknown, reply: SlashReply): Promise<void> {
    if (typeof responseUrl !== 'string') return;
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      return;
    }
    const slack = url.protocol === 'https:' && url.hostname === 'hooks.slack.com';
    if (!slack && !isAllowedHost(this.config.PULSE_ALLOWED_UPSTREAM_HOSTS, url)) {
      this.logger.warn(
        `slash command: response_url host ${url.host} is neither Slack's nor allowed; not answered`,
      );
      return;
    }
    try {
      await this.outbound.fetch(url.toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...reply, replace_original: false }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      this.logger.warn(
        `slash command: response_url answer failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
}
