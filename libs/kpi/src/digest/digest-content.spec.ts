import { DateTime } from 'luxon';
import { KPI_DEFINITIONS } from '@pulse/contracts';
import { engagementHealth, engagementSeries, ratingContextFrom, type StoredKpiValue } from '../read-model';
import { blockKitProblems } from './block-kit';
import { digestFromRows, type DigestRows } from './digest-figures';
import { attentionLine, buildDigest, linesWithin, type DigestInput } from './digest-content';

const ZONE = 'Europe/Berlin';
const NOW = DateTime.fromISO('2026-12-02T10:00:00', { zone: ZONE }).toMillis();
const HOUR = 3_600_000;

function input(
  overrides: Partial<DigestInput> = {},
  values: Record<string, [number, number]> = {},
): DigestInput {
  const rc = ratingContextFrom({
    zone: ZONE,
    syncCron: '*/30 * * * *',
    thresholds: [],
    connections: [
      {
        kind: 'github',
        lastSuccessAt: NOW - HOUR,
        lastAttemptAt: NOW - HOUR,
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
      },
      {
        kind: 'jira',
        lastSuccessAt: NOW - 5 * 24 * HOUR,
        lastAttemptAt: NOW - HOUR,
        lastErrorClass: null,
        lastErrorMessage: null,
        lastErrorAt: null,
      },
    ],
    latestCoverageAt: null,
    now: NOW,
  });
  const end = NOW;
  const start = DateTime.fromMillis(NOW, { zone: ZONE }).minus({ weeks: 11 }).startOf('week').toMillis();
  const trailing: StoredKpiValue[] = Object.entries(values).map(([kpiKey, [value, n]]) => ({
    kpiKey,
    bucketStart: NOW - 28 * 24 * HOUR,
    bucketEnd: NOW,
    value,
    n,
    dropped: 0,
    computedAt: NOW,
  }));
  // Two complete weeks of pickup time, rising by 5 h.
  const w1 = DateTime.fromMillis(NOW, { zone: ZONE }).startOf('week').minus({ weeks: 2 });
  const weekly: StoredKpiValue[] = [
    {
      kpiKey: 'delivery.pr_pickup_time',
      bucketStart: w1.toMillis(),
      bucketEnd: w1.plus({ weeks: 1 }).toMillis(),
      value: 26,
      n: 6,
      dropped: 0,
      computedAt: NOW,
    },
    {
      kpiKey: 'delivery.pr_pickup_time',
      bucketStart: w1.plus({ weeks: 1 }).toMillis(),
      bucketEnd: w1.plus({ weeks: 2 }).toMillis(),
      value: 31,
      n: 6,
      dropped: 0,
      computedAt: NOW,
    },
  ];
  const engagementId = '00000000-0000-4000-8000-000000000001';
  return {
    audience: 'client',
    engagement: { id: engagementId, name: 'Payments rebuild', vendorName: 'Acme', reportingTimeZone: ZONE },
    health: engagementHealth({ engagementId, trailing, rc }),
    kpis: engagementSeries({ engagementId, start, end, weekly, trailing, rc }),
    weekScores: null,
    now: NOW,
    publicUrl: 'https://pulse.example.com',
    people: { client: ['Maria Client'], vendor: ['Ben Vendor'] },
    ...overrides,
  };
}

describe('buildDigest', () => {
  it('says what is in breach in plain language, from the one rating', () => {
    const d = buildDigest(input({}, { 'delivery.pr_pickup_time': [31, 12] }));
    expect(blockKitProblems(d.blocks)).toEqual([]);
    const json = JSON.stringify(d.blocks);
    const entry = input({}, { 'delivery.pr_pickup_time': [31, 12] }).health.entries[0]!;
    expect(entry.status).toBe('warn');
    expect(entry.threshold!.warn).toBe(24);
    expect(json).toContain(
      `PR pickup time rose to 31 h (warn &gt; ${entry.threshold!.warn} h) · 12 PRs · week over week +5 h`,
    );
    expect(d.isoWeek).toBe('2026-W49');
    expect(d.text).toContain('Payments rebuild');
    expect(json).toContain('Maria Client');
    expect(json).toContain(
      'https://pulse.example.com/engagements/00000000-0000-4000-8000-000000000001?range=custom&from=2026-09-14&to=2026-12-06',
    );
  });

  it('notes stale data and per-source freshness', () => {
    const d = buildDigest(input({}, { 'quality.open_bugs': [2, 2] }));
    const json = JSON.stringify(d.blocks);
    expect(json).toContain('Stale data (Jira)');
    expect(json).toMatch(/GitHub synced/);
  });

  it('vendor: no people, the share link instead of the engagement page', () => {
    const d = buildDigest(
      input({ audience: 'vendor', people: undefined, shareUrl: 'https://pulse.example.com/share/abc' }),
    );
    const json = JSON.stringify(d.blocks);
    expect(json).not.toContain('Maria Client');
    expect(json).toContain('https://pulse.example.com/share/abc');
    expect(json).not.toContain('/engagements/');
    expect(blockKitProblems(d.blocks)).toEqual([]);
  });

  it('stays inside Slack limits with every KPI in breach and very long names', () => {
    const all = Object.fromEntries(
      KPI_DEFINITIONS.map((d) => [d.key, [d.direction === 'higher' ? -1e9 : 1e9, 1000] as [number, number]]),
    );
    const long = 'x'.repeat(400);
    const d = buildDigest(
      input(
        {
          engagement: { id: 'e', name: long, vendorName: long, reportingTimeZone: ZONE },
          people: { client: Array.from({ length: 500 }, (_, i) => `${long}${i}`), vendor: [] },
        },
        all,
      ),
    );
    expect(blockKitProblems(d.blocks)).toEqual([]);
    expect(JSON.stringify(d.blocks)).toMatch(/and \d+ more/);
    expect(d.text.length).toBeLessThanOrEqual(3000);
  });
});

describe('blockKitProblems', () => {
  it('finds what Slack would refuse', () => {
    const problems = blockKitProblems([
      { type: 'header', text: { type: 'mrkdwn', text: 'x'.repeat(151) } },
      { type: 'section', text: { type: 'mrkdwn', text: 'y'.repeat(3001) } },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'a',
            text: { type: 'plain_text', text: 'z'.repeat(76) },
            url: 'ftp://x',
          },
        ],
      },
      { type: 'image' },
      ...Array.from({ length: 47 }, () => ({ type: 'divider' })),
    ]);
    expect(problems).toEqual([
      '51 blocks, more than 50',
      'block 0 (header): must be plain_text',
      'block 0 (header): 151 characters, more than 150',
      'block 1 (section): 3001 characters, more than 3000',
      'block 2 (actions) button 0: 76 characters, more than 75',
      'block 2 (actions) button 0: url must be http(s) and at most 3000 characters',
      'block 3 (image): block type not used by the digest',
    ]);
  });

  it('cuts long lists with "and N more"', () => {
    expect(linesWithin(['a', 'b', 'c', 'd'], 2, 1000)).toBe('a\nb\n… and 2 more');
    expect(linesWithin(['a', 'b'], 2, 1000)).toBe('a\nb');
  });

  it('reads a warn line with the direction of the KPI', () => {
    const line = attentionLine(
      {
        key: 'quality.bug_sla_compliance',
        label: 'Bug SLA compliance',
        family: 'quality',
        unit: 'percent',
        direction: 'higher',
        value: 70,
        n: 10,
        minN: 5,
        threshold: { warn: 80, breach: 60 },
        status: 'warn',
        score: 0.5,
        staleSince: null,
        explanation: '',
      },
      undefined,
    );
    expect(line).toBe('Bug SLA compliance is 70 % (warn < 80 %) · 10 items');
  });
});

describe('digestFromRows (the one assembly the worker, the preview and /pulse use)', () => {
  const engagement = {
    id: '00000000-0000-4000-8000-000000000002',
    name: 'Payments rebuild',
    vendorName: 'Acme',
    reportingTimeZone: ZONE,
    syncCron: '0 * * * *',
  };
  const rows = (people: DigestRows['people']): DigestRows => ({
    rating: { thresholds: [], connections: [], latestCoverageAt: null },
    values: { weekly: [], trailing: [] },
    sharedFamilies: ['delivery'],
    vendorShareToken: 'vendor-token-0123456789',
    people,
  });
  const text = (d: { blocks: unknown[]; text: string }) => JSON.stringify(d.blocks) + d.text;
  const build = (audience: 'client' | 'vendor', people: DigestRows['people']) =>
    digestFromRows({
      engagement,
      audience,
      rows: rows(people),
      now: NOW,
      publicUrl: 'https://pulse.example.com',
    });

  it('names roster people to the client, and nobody when the engagement is team-level only', () => {
    const names = { client: ['Maria Client'], vendor: ['Ben Vendor'] };
    expect(text(build('client', names))).toContain('Maria Client');
    const teamLevel = build('client', null);
    expect(text(teamLevel)).not.toContain('Maria Client');
    expect(text(teamLevel)).not.toContain('Ben Vendor');
    expect(blockKitProblems(teamLevel.blocks)).toEqual([]);
  });

  it('gives the vendor its share link and no names, whatever the rows hold', () => {
    const vendor = build('vendor', { client: ['Maria Client'], vendor: ['Ben Vendor'] });
    expect(text(vendor)).not.toContain('Maria Client');
    expect(text(vendor)).not.toContain('Ben Vendor');
    expect(text(vendor)).toContain('https://pulse.example.com/share/vendor-token-0123456789');
  });
});
