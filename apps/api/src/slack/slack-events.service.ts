import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Between, DataSource } from 'typeorm';
import { DateTime } from 'luxon';
import type { ChatMessageRecord } from '@pulse/contracts';
import { mapSlackMemberEvent, mapSlackMessage, MEMBERSHIP_MATCH_WINDOW_MS } from '@pulse/connectors';
import { ChatMessageEntity, ConnectionEntity, EngagementEntity, upsertRows } from '@pulse/db';
import { SyncService } from '../sync/sync.service';
import type { SlackEventMeta } from './slack-event.schema';

export interface SlackEventOutcome {
  /** Engagements whose Slack connection monitors the event's channel and got the record. */
  engagements: number;
  duplicate: boolean;
}

/** How many event ids are remembered (Slack re-delivers for up to about an hour). */
const SEEN_EVENT_IDS = 50_000;

/**
 * Turns Events API message events (and member_joined_channel / member_left_channel, as the
 * channel_join / channel_leave records the history gives) into the same chat records the pull writes (same natural
 * key channel + ts, so an event and a later pull of the same message are one row), for
 * every engagement whose Slack connection monitors the channel, then asks for the KPI rollup
 * of that week. Receives metadata only: the schema dropped the text before this runs.
 */
@Injectable()
export class SlackEventsService {
  private readonly logger = new Logger(SlackEventsService.name);
  private readonly seen = new Set<string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly sync: SyncService,
  ) {}

  /** The record an event stands for, or null when it is not a channel message Pulse counts. */
  recordOf(event: SlackEventMeta): ChatMessageRecord | null {
    // Joins and leaves: the same channel_join / channel_leave record the history gives.
    if (event.type === 'member_joined_channel' || event.type === 'member_left_channel')
      return mapSlackMemberEvent(event);
    if (event.type !== 'message' || !event.channel) return null;
    if (event.subtype === 'message_changed') {
      // A thread's parent deleted while its replies live on: Slack "changes" it into a
      // tombstone (by USLACKBOT). That is a deletion of the parent, whose author stays as stored.
      if (event.message?.subtype === 'tombstone') {
        const r = mapSlackMessage(event.channel, event.previous_message ?? { ts: event.message.ts });
        return r ? { ...r, deleted: true } : null;
      }
      // An edit re-sends the message under its own ts: the row is updated, nothing new asks or answers.
      const r = event.message ? mapSlackMessage(event.channel, event.message) : null;
      return r;
    }
    if (event.subtype === 'message_deleted') {
      const original = event.previous_message ?? (event.deleted_ts ? { ts: event.deleted_ts } : undefined);
      const r = original ? mapSlackMessage(event.channel, original) : null;
      return r ? { ...r, deleted: true } : null;
    }
    return mapSlackMessage(event.channel, event);
  }

  async receive(
    eventId: string | undefined,
    event: SlackEventMeta,
    now = Date.now(),
  ): Promise<SlackEventOutcome> {
    if (eventId && this.seen.has(eventId)) return { engagements: 0, duplicate: true };
    const record = this.recordOf(event);
    if (!record) return { engagements: 0, duplicate: false };
    const engagementIds = await this.engagementsMonitoring(record.channel);
    if (engagementIds.length > 0) {
      await this.dataSource.transaction(async (tx) => {
        const rows = engagementIds.map((engagementId): ChatMessageEntity => ({
          id: randomUUID(),
          engagementId,
          channel: record.channel,
          ts: record.ts,
          at: record.at,
          threadTs: record.threadTs,
          authorId: record.authorId,
          subtype: record.subtype,
          botId: record.botId,
          edited: record.edited ?? false,
          deleted: record.deleted ?? false,
        }));
        if (event.subtype === 'message_deleted' || event.subtype === 'message_changed') {
          // Keep what the stored row knows (a deletion event carries only the previous message).
          const repo = tx.getRepository(ChatMessageEntity);
          for (const row of rows) {
            const stored = await repo.findOneBy({
              engagementId: row.engagementId,
              channel: row.channel,
              ts: row.ts,
            });
            if (stored) {
              await repo.update(
                { id: stored.id },
                record.deleted ? { deleted: true } : { edited: stored.edited || row.edited },
              );
            } else await upsertRows(tx, ChatMessageEntity, [row], ['engagement_id', 'channel', 'ts']);
          }
        } else if (event.type === 'member_joined_channel' || event.type === 'member_left_channel') {
          // Already stored from the history (its own ts, near the event's): nothing to add.
          const repo = tx.getRepository(ChatMessageEntity);
          for (const row of rows) {
            const known = await repo.existsBy({
              engagementId: row.engagementId,
              channel: row.channel,
              authorId: row.authorId!,
              subtype: row.subtype!,
              at: Between(row.at - MEMBERSHIP_MATCH_WINDOW_MS, row.at + MEMBERSHIP_MATCH_WINDOW_MS),
            });
            if (!known) await upsertRows(tx, ChatMessageEntity, [row], ['engagement_id', 'channel', 'ts']);
          }
        } else await upsertRows(tx, ChatMessageEntity, rows, ['engagement_id', 'channel', 'ts']);
      });
      await this.rollup(engagementIds, record.at, now);
    }
    if (eventId) this.remember(eventId);
    return { engagements: engagementIds.length, duplicate: false };
  }

  private remember(eventId: string): void {
    if (this.seen.size >= SEEN_EVENT_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.add(eventId);
  }

  private async engagementsMonitoring(channel: string): Promise<string[]> {
    const connections = await this.dataSource.getRepository(ConnectionEntity).findBy({ kind: 'slack' });
    return connections
      .filter((c) => {
        const ids = (c.settings as { channelIds?: unknown }).channelIds;
        return Array.isArray(ids) && ids.includes(channel);
      })
      .map((c) => c.engagementId);
  }

  /** The week of the message, recomputed; events within ten seconds share one rollup job. */
  private async rollup(engagementIds: string[], at: number, now: number): Promise<void> {
    const engagements = await this.dataSource
      .getRepository(EngagementEntity)
      .findBy(engagementIds.map((id) => ({ id })));
    for (const e of engagements) {
      const week = DateTime.fromMillis(at, { zone: e.reportingTimeZone }).startOf('week').toISODate()!;
      try {
        await this.sync.enqueueRollup(e.id, [week], Math.floor(now / 10_000) * 10_000);
      } catch (err) {
        // The record is stored; the next sync's rollup counts it.
        this.logger.warn(`KPI rollup after a Slack event not queued for ${e.id}: ${(err as Error).message}`);
      }
    }
  }
}
