// The fixed cast and shape of each scenario, and the time frame they live in.
import { type ScenarioName, type Side } from '../sandbox.types';
import { hash32, hexOf } from './random.util';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const HISTORY_DAYS = 182; // 26 weeks
export const TREND_DAYS = 42; // the last 6 weeks, where `slipping` slips

export interface Person {
  key: string;
  name: string;
  side: Side;
  email: string;
  timeZone: string;
  login: string;
  githubId: number;
  jiraAccountId: string;
  slackId: string;
  /** relative weight of authored work */
  weight: number;
  /** ms since epoch; absent = whole history */
  joinedAt?: number;
  leftAt?: number;
}

export interface RepoDef {
  name: string;
  id: number;
  coverage: 'cobertura' | 'lcov';
  baseCoverage: number;
  /** pull requests per weekday at scale 1 */
  prRate: number;
  issueRate: number;
}

export interface ChannelDef {
  id: string;
  name: string;
  /** top-level messages per weekday at scale 1 */
  rate: number;
}

export interface Scenario {
  name: ScenarioName;
  index: number;
  slipping: boolean;
  owner: string;
  ownerId: number;
  repos: RepoDef[];
  jiraKey: string;
  jiraProjectId: number;
  boardId: number;
  channels: ChannelDef[];
  people: Person[];
}

export const CLIENT_TZ = 'America/Chicago';
export const VENDOR_TZ = 'Asia/Manila';

export const GITHUB_BOTS = {
  dependabot: { login: 'dependabot[bot]', id: 49699333 },
  ci: { login: 'pulse-ci[bot]', id: 41898282 },
} as const;

export const SLACK_BOT = {
  userId: 'U0SANDBOT1',
  botId: 'B0SANDBOT1',
  appId: 'A0SANDBOT1',
  name: 'pulse',
} as const;
export const SLACK_CI_BOT = { userId: 'U0SANDCI01', botId: 'B0SANDCI01', name: 'ci-notifier' } as const;
export const SLACK_TEAM = { id: 'T0SANDBOX1', name: 'Pulse Sandbox', domain: 'pulse-sandbox' } as const;
export const JIRA_BOT_ACCOUNT_ID = '5b10sandbox0000pulsebot';

interface CastEntry {
  first: string;
  last: string;
  side: Side;
  weight: number;
}

const CAST: Record<ScenarioName, CastEntry[]> = {
  steady: [
    { first: 'Megan', last: 'Kowalski', side: 'client', weight: 1 },
    { first: 'Derek', last: 'Olsen', side: 'client', weight: 1 },
    { first: 'Tamara', last: 'Reyes', side: 'client', weight: 0.5 },
    { first: 'Paolo', last: 'Santos', side: 'vendor', weight: 3 },
    { first: 'Bea', last: 'Villanueva', side: 'vendor', weight: 3 },
    { first: 'Jomar', last: 'Dizon', side: 'vendor', weight: 2 },
    { first: 'Kristine', last: 'Lim', side: 'vendor', weight: 2 },
    { first: 'Ramon', last: 'Aquino', side: 'vendor', weight: 1.5 },
  ],
  slipping: [
    { first: 'Hannah', last: 'Brooks', side: 'client', weight: 1 },
    { first: 'Luis', last: 'Ortega', side: 'client', weight: 1 },
    { first: 'Greg', last: 'Whitfield', side: 'client', weight: 0.5 },
    { first: 'Angelo', last: 'Cruz', side: 'vendor', weight: 5 }, // the key contributor who leaves
    { first: 'Mika', last: 'Bautista', side: 'vendor', weight: 2 },
    { first: 'Carlo', last: 'Mendoza', side: 'vendor', weight: 2 },
    { first: 'Janelle', last: 'Garcia', side: 'vendor', weight: 1.5 },
    { first: 'Noel', last: 'Ramos', side: 'vendor', weight: 1.5 },
  ],
};

export interface TimeFrame {
  /** the end of generated history (the "now" the world was built for) */
  end: number;
  start: number;
  trendStart: number;
}

export function timeFrame(nowIso: string): TimeFrame {
  const end = Date.parse(nowIso);
  if (!Number.isFinite(end)) throw new Error(`sandbox: invalid "now": ${nowIso}`);
  return { end, start: end - HISTORY_DAYS * DAY, trendStart: end - TREND_DAYS * DAY };
}

/** 0 before the last six weeks, rising to 1 at the end of history; always 0 for `steady`. */
export function trend(scenario: Scenario, frame: TimeFrame, t: number): number {
  if (!scenario.slipping || t <= frame.trendStart) return 0;
  return Math.min(1, (t - frame.trendStart) / (frame.end - frame.trendStart));
}

export function buildScenario(name: ScenarioName, index: number, seed: string, frame: TimeFrame): Scenario {
  const owner = name === 'steady' ? 'steady-co' : 'slipping-co';
  const repoNames =
    name === 'steady' ? ['storefront-web', 'orders-api'] : ['claims-portal', 'claims-api', 'claims-mobile'];
  const repos: RepoDef[] = repoNames.map((repo, i) => ({
    name: repo,
    id: 700_000 + index * 100 + i,
    coverage: i % 2 === 0 ? 'cobertura' : 'lcov',
    baseCoverage: 81 + (hash32(seed, repo) % 300) / 100,
    prRate: name === 'steady' ? 1.4 : 1.1,
    issueRate: 0.5,
  }));
  const channels: ChannelDef[] = [
    { id: `C0${name === 'steady' ? 'STDY' : 'SLIP'}DLV`, name: `${name}-delivery`, rate: 9 },
    { id: `C0${name === 'steady' ? 'STDY' : 'SLIP'}GEN`, name: `${name}-general`, rate: 3 },
  ];
  const domainFor = (side: Side): string =>
    side === 'client' ? `${owner.replace('-co', '')}-client.example` : 'manila-devworks.example';
  const people: Person[] = CAST[name].map((c, i) => {
    const login = `${c.first}${c.last.slice(0, 1)}-${name.slice(0, 4)}`.toLowerCase();
    return {
      key: `${name}:${i}`,
      name: `${c.first} ${c.last}`,
      side: c.side,
      email: `${c.first}.${c.last}@${domainFor(c.side)}`.toLowerCase(),
      timeZone: c.side === 'client' ? CLIENT_TZ : VENDOR_TZ,
      login,
      githubId: 5_100_000 + index * 100 + i,
      jiraAccountId: `712020:${hexOf(8, seed, name, i, 'j')}-${hexOf(4, seed, name, i, 'k')}-${hexOf(12, seed, name, i, 'l')}`,
      slackId: `U0${name.slice(0, 2).toUpperCase()}${String(index)}${String(i).padStart(5, '0')}`,
      weight: c.weight,
    };
  });
  // one vendor joins ten weeks in, in both scenarios (new contributor)
  const joiner = people[people.length - 1];
  if (joiner) joiner.joinedAt = frame.start + 70 * DAY;
  if (name === 'slipping') {
    const key = people.find((p) => p.side === 'vendor');
    if (key) key.leftAt = frame.end - 24 * DAY;
  }
  return {
    name,
    index,
    slipping: name === 'slipping',
    owner,
    ownerId: 9_000_000 + index,
    repos,
    jiraKey: name === 'steady' ? 'STDY' : 'SLIP',
    jiraProjectId: 10_000 + index,
    boardId: index + 1,
    channels,
    people,
  };
}

export function isActive(p: Person, t: number): boolean {
  return (p.joinedAt === undefined || t >= p.joinedAt) && (p.leftAt === undefined || t < p.leftAt);
}

/** Pick an active person of the side, weighted; falls back to anyone of the side. */
export function pickPerson(
  people: readonly Person[],
  side: Side,
  t: number,
  r: number,
  exclude?: Person,
): Person {
  let pool = people.filter((p) => p.side === side && isActive(p, t) && p !== exclude);
  if (pool.length === 0) pool = people.filter((p) => p.side === side);
  const total = pool.reduce((s, p) => s + p.weight, 0);
  let x = r * total;
  for (const p of pool) {
    x -= p.weight;
    if (x < 0) return p;
  }
  return pool[pool.length - 1] as Person;
}

/** Day of week (1 = Monday) of a UTC instant shifted by a fixed offset in hours. */
export function isWeekend(t: number, offsetHours: number): boolean {
  const d = new Date(t + offsetHours * HOUR).getUTCDay();
  return d === 0 || d === 6;
}

/** Moves an instant into working hours (09–18) of the zone with the given fixed UTC offset. */
export function intoWorkingHours(t: number, offsetHours: number, r: number): number {
  const local = t + offsetHours * HOUR;
  const dayStart = Math.floor(local / DAY) * DAY;
  const within = 9 * HOUR + Math.floor(r * 9 * HOUR);
  return dayStart + within - offsetHours * HOUR;
}

export const CLIENT_OFFSET = -6; // America/Chicago (standard time; close enough for generation)
export const VENDOR_OFFSET = 8; // Asia/Manila
