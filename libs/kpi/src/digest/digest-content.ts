import { DateTime } from 'luxon';
import type {
  EngagementHealthDto,
  EngagementKpisDto,
  KpiHealthEntry,
  KpiSeriesDto,
  RagStatus,
} from '@pulse/contracts';
import { formatValue } from '../rating';
import { type Block, SLACK_LIMITS, clip, escapeMrkdwn } from './block-kit';

// The weekly digest as Slack Block Kit plus its plain-text fallback. Every number and
// sentence comes from the rated DTOs of GET /health and /kpis (built by the read model of
// this library), so the message never disagrees with the dashboard.

export type DigestAudience = 'client' | 'vendor';
export const DIGEST_AUDIENCES: readonly DigestAudience[] = ['client', 'vendor'];

export interface DigestInput {
  audience: DigestAudience;
  engagement: { id: string; name: string; vendorName: string; reportingTimeZone: string };
  /** /health — for the vendor, over the shared families only. */
  health: EngagementHealthDto;
  /** /kpis — for the vendor, the shared families only. */
  kpis: EngagementKpisDto;
  /** Score of the last two complete weeks (the change line); null when unknown. */
  weekScores: { latestWeekStart: string; latest: number | null; previous: number | null } | null;
  /** The instant the digest is for: its ISO week is the digest's week. */
  now: number;
  /** PULSE_PUBLIC_URL; without it there is no button. */
  publicUrl: string | null;
  /** Vendor: the share view's URL while a share link is valid. */
  shareUrl?: string | null;
  /** Client: roster names by side (never given for the vendor). */
  people?: { client: string[]; vendor: string[] };
}

export interface DigestContent {
  blocks: Block[];
  text: string;
  /** ISO week of the digest, e.g. "2026-W49" (the exactly-once key with engagement and audience). */
  isoWeek: string;
}

const MAX_ITEMS = 8;
const STATUS_ICON: Record<RagStatus, string> = {
  red: ':red_circle:',
  amber: ':large_orange_circle:',
  green: ':large_green_circle:',
  unknown: ':white_circle:',
};

export function isoWeekOf(now: number, zone: string): string {
  const d = DateTime.fromMillis(now, { zone });
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, '0')}`;
}

/** "a, b, c and 4 more" with at most `max` names shown. */
export function listWithMore(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Lines joined under a limit; lines that do not fit become "… and N more". */
export function linesWithin(lines: readonly string[], maxLines: number, maxChars: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const rest = lines.length - i;
    const more = `… and ${rest} more`;
    const candidate = [...out, lines[i]!].join('\n');
    const reserve = rest > 1 ? more.length + 1 : 0;
    if (out.length >= maxLines || candidate.length + reserve > maxChars) {
      out.push(more);
      return out.join('\n');
    }
    out.push(lines[i]!);
  }
  return out.join('\n');
}

const signed = (change: number, unit: KpiSeriesDto['unit']): string =>
  change > 0 ? `+${formatValue(change, unit).replace(/^\+/, '')}` : formatValue(change, unit);

/**
 * "PR pickup time rose to 31 h (warn > 24 h) · 12 PRs · week over week +5 h": the trailing
 * value of /health with its rating, and the week-over-week of /kpis.
 */
export function attentionLine(entry: KpiHealthEntry, series: KpiSeriesDto | undefined): string {
  const value = entry.value === null ? 'no data' : formatValue(entry.value, entry.unit);
  const wow = series?.weekOverWeek ?? null;
  const verb = wow?.change ? (wow.change > 0 ? 'rose to' : 'fell to') : 'is';
  const line = entry.status === 'breach' ? entry.threshold?.breach : entry.threshold?.warn;
  const op = entry.direction === 'higher' ? '<' : '>';
  const limit =
    line !== undefined && line !== null && Number.isFinite(line)
      ? ` (${entry.status} ${op} ${formatValue(line, entry.unit)})`
      : '';
  const nLabel = series?.nLabel ?? 'items';
  const trend = wow?.change ? ` · week over week ${signed(wow.change, entry.unit)}` : '';
  const stale = entry.staleSince ? ' · stale data' : '';
  return `${entry.label} ${verb} ${value}${limit} · ${entry.n} ${nLabel}${trend}${stale}`;
}

/** "Bug reopen rate improved to 12 % (from 18 % the week before)". */
function improvedLine(k: KpiSeriesDto): string | null {
  const w = k.weekOverWeek;
  if (!w || w.trend !== 'better' || w.latest === null || w.previous === null) return null;
  return `${k.label} improved to ${formatValue(w.latest, k.unit)} (from ${formatValue(w.previous, k.unit)} the week before)`;
}

function engagementPageUrl(input: DigestInput): string | null {
  if (!input.publicUrl) return null;
  const zone = input.engagement.reportingTimeZone;
  const week = DateTime.fromMillis(input.now, { zone }).startOf('week');
  const from = week.minus({ weeks: 11 }).toISODate()!;
  const to = week.endOf('week').toISODate()!;
  const base = input.publicUrl.replace(/\/+$/, '');
  return `${base}/engagements/${input.engagement.id}?range=custom&from=${from}&to=${to}`;
}

function scoreLine(input: DigestInput): string {
  const { health, weekScores } = input;
  const parts = [
    `*Score:* ${health.score === null ? 'not rated' : `${health.score}/100`} over the last 28 days`,
  ];
  if (weekScores && weekScores.latest !== null) {
    const label = DateTime.fromISO(weekScores.latestWeekStart).toFormat('d LLL');
    let change = '';
    if (weekScores.previous !== null) {
      const d = weekScores.latest - weekScores.previous;
      change =
        d === 0
          ? ', unchanged on the week before'
          : `, ${d > 0 ? 'up' : 'down'} ${Math.abs(d)} on the week before`;
    }
    parts.push(`the week of ${label} scored ${weekScores.latest}${change}`);
  }
  return parts.join(' · ');
}

/** Builds the digest of one engagement for one audience. */
export function buildDigest(input: DigestInput): DigestContent {
  const { health, kpis, audience, engagement } = input;
  const zone = engagement.reportingTimeZone;
  const isoWeek = isoWeekOf(input.now, zone);
  const seriesOf = new Map(kpis.kpis.map((k) => [k.key as string, k]));
  const blocks: Block[] = [];
  const text: string[] = [];

  const title = `${engagement.name}: health for ${isoWeek}${audience === 'vendor' ? ' (shared view)' : ''}`;
  blocks.push({
    type: 'header',
    text: { type: 'plain_text', text: clip(title, SLACK_LIMITS.headerText), emoji: true },
  });
  text.push(title);

  const status = `${STATUS_ICON[health.status]} *${escapeMrkdwn(health.summary)}*`;
  blocks.push({
    type: 'section',
    block_id: 'status',
    text: { type: 'mrkdwn', text: clip(`${status}\n${scoreLine(input)}`, SLACK_LIMITS.sectionText) },
  });
  text.push(`${health.summary}. ${scoreLine(input).replace(/\*/g, '')}.`);

  const attention = [...health.breaches, ...health.warnings].map(
    (e) =>
      `${e.status === 'breach' ? ':red_circle:' : ':large_orange_circle:'} ${escapeMrkdwn(attentionLine(e, seriesOf.get(e.key)))}`,
  );
  if (attention.length) {
    const body = linesWithin(attention, MAX_ITEMS, SLACK_LIMITS.sectionText - 40);
    blocks.push({
      type: 'section',
      block_id: 'attention',
      text: { type: 'mrkdwn', text: `*Needs attention*\n${body}` },
    });
    text.push(`Needs attention: ${[...health.breaches, ...health.warnings].length} KPI(s).`);
  } else if (health.status !== 'unknown') {
    blocks.push({
      type: 'section',
      block_id: 'attention',
      text: { type: 'mrkdwn', text: 'Nothing in breach or warn.' },
    });
  }

  const improved = kpis.kpis.map(improvedLine).filter((l): l is string => l !== null);
  if (improved.length) {
    const body = linesWithin(
      improved.map((l) => `:arrow_up: ${escapeMrkdwn(l)}`),
      MAX_ITEMS,
      SLACK_LIMITS.sectionText - 40,
    );
    blocks.push({
      type: 'section',
      block_id: 'improved',
      text: { type: 'mrkdwn', text: `*What improved*\n${body}` },
    });
  }

  const notes: string[] = [];
  const low = health.entries.filter((e) => e.status === 'low_sample').map((e) => e.label);
  if (low.length) notes.push(`Too few items to rate yet: ${listWithMore(low, 6)}.`);
  if (health.qualifiers.staleSince)
    notes.push(`Stale data (${listWithMore(health.qualifiers.staleSources, 4)}): values may be out of date.`);
  if (health.qualifiers.quiet) notes.push('Quiet: no vendor activity seen over the last 28 days.');
  if (health.status === 'unknown') notes.push(...health.lines.slice(0, 4));
  if (notes.length) {
    blocks.push({
      type: 'context',
      block_id: 'notes',
      elements: [{ type: 'mrkdwn', text: clip(escapeMrkdwn(notes.join(' ')), SLACK_LIMITS.sectionText) }],
    });
    text.push(notes.join(' '));
  }

  const fresh = health.sources.filter((s) => s.connected).map((s) => s.summary);
  blocks.push({
    type: 'context',
    block_id: 'freshness',
    elements: [
      {
        type: 'mrkdwn',
        text: clip(
          escapeMrkdwn(fresh.length ? `Data: ${fresh.join(' · ')}` : 'Data: no source is connected yet'),
          SLACK_LIMITS.sectionText,
        ),
      },
    ],
  });

  if (audience === 'client' && input.people) {
    const names = [
      input.people.client.length ? `client ${listWithMore(input.people.client, 8)}` : null,
      input.people.vendor.length ? `${engagement.vendorName} ${listWithMore(input.people.vendor, 8)}` : null,
    ].filter((x): x is string => x !== null);
    if (names.length)
      blocks.push({
        type: 'context',
        block_id: 'people',
        elements: [
          {
            type: 'mrkdwn',
            text: clip(escapeMrkdwn(`People: ${names.join('; ')}`), SLACK_LIMITS.sectionText),
          },
        ],
      });
  }

  const url = audience === 'client' ? engagementPageUrl(input) : (input.shareUrl ?? null);
  if (url && url.length <= SLACK_LIMITS.buttonUrl) {
    blocks.push({
      type: 'actions',
      block_id: 'open',
      elements: [
        {
          type: 'button',
          action_id: 'open_engagement',
          text: {
            type: 'plain_text',
            text: audience === 'client' ? 'Open this week in Pulse' : 'Open the shared view',
          },
          url,
        },
      ],
    });
    text.push(url);
  }
  return {
    blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage),
    text: clip(text.join('\n'), 3000),
    isoWeek,
  };
}
