// The walk of one newest-first list down to its cursor, with checkpoints after each
// stored page; shared by every list the sync reads.
import { type EpochMs } from '@pulse/contracts';
import { z } from 'zod';
import { hasNextPage } from './client';
import { type RepoScope } from './repo-scope';
import { type GithubWalkCursor } from './sync-cursor';
import { WalkHolds } from './walk-holds';

export interface WalkItem<T> {
  id: number;
  at: EpochMs;
  atIso: string;
  value: T;
}

export const isoKey = z.object({ id: z.number(), at: z.string() });

/** A list entry's key, or what is known of a malformed one. */
export type WalkKey<T> =
  { id: number; at: string; value: T } | { skipped: true; id: number | null; at: string | null };

/** Id and sort instant of a malformed entry, as far as they are readable. */
export function skippedKey(raw: unknown, idKey: string, atKey: string): WalkKey<never> {
  const r = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const id = r[idKey];
  const at = r[atKey];
  return {
    skipped: true,
    id: typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null,
    at: typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : null,
  };
}

export function pickKey(raw: unknown, idKey: string, atKey: string): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const r = raw as Record<string, unknown>;
  const at = r[atKey];
  return { id: r[idKey], at: typeof at === 'string' && Number.isFinite(Date.parse(at)) ? at : undefined };
}

/**
 * Walks a newest-first list down to the cursor. `process` stores one page of changed
 * items (through the sink); the walk cursor moves after each page, and the first page's
 * ETag is kept only once the whole walk is done (it vouches for everything below it).
 *
 * A record skipped as malformed is never left behind: when the list can be fetched by key
 * (`remember`), its key is kept for a retry on the next sync; otherwise the walk holds its
 * cursor at the record, so the next sync walks down to it again. Either way the first
 * page's ETag is not kept, or an unchanged list would answer 304 and hide it.
 */
export async function walkList<T>(
  scope: RepoScope,
  args: {
    walk: GithubWalkCursor;
    route: string;
    params: Record<string, string | number>;
    pick?: (body: unknown) => unknown[];
    /**
     * Id and sort instant of a raw entry; `skipped` with what is known when it is malformed
     * (the reason is logged); null for an entry that belongs to another list.
     */
    keyOf: (raw: unknown) => WalkKey<T> | null;
    /** Older than this: stop (e.g. the coverage look-back). */
    floor?: EpochMs;
    /** Remembers a skipped record's key for a retry by key; false when it cannot. */
    remember?: (id: number) => boolean;
    /** Stores the items; calls `skip` for each one it could not collect completely. */
    process: (items: WalkItem<T>[], skip: (item: WalkItem<T>) => void) => Promise<void>;
  },
): Promise<void> {
  const { walk } = args;
  const params = { ...args.params, per_page: 100 };
  const etagKey = scope.client.keyOf(args.route, params);
  const hw = walk.hw ? Date.parse(walk.hw) : null;
  const hwIds = new Set(walk.hwIds);
  const partial = walk.partial
    ? { top: Date.parse(walk.partial.top), doneDownTo: Date.parse(walk.partial.doneDownTo) }
    : null;
  const holds = new WalkHolds();
  const skip = (id: number | null, at: { at: EpochMs; iso: string } | null): void => {
    holds.skipped = true;
    if (id !== null && args.remember?.(id)) return;
    scope.ctx.heldRecords++;
    holds.hold(at);
  };
  let firstEtag: string | null = null;
  let runTop: { at: EpochMs; iso: string; ids: number[] } | null = null;
  for (let page = 1; ; page++) {
    let body: unknown;
    let more: boolean;
    if (page === 1) {
      const etag = partial ? undefined : scope.ctx.cursor.etags[etagKey];
      const res = await scope.client.getConditional<unknown>(args.route, { ...params, page }, etag);
      if (res.notModified) return;
      firstEtag = res.etag;
      body = res.data;
      more = hasNextPage(res.headers);
    } else {
      const res = await scope.client.get<unknown>(args.route, { ...params, page });
      body = res.data;
      more = hasNextPage(res.headers);
    }
    const raws = args.pick ? args.pick(body) : Array.isArray(body) ? (body as unknown[]) : [];
    const toProcess: WalkItem<T>[] = [];
    let stop = false;
    let lowest: { at: EpochMs; iso: string } | null = null;
    for (const raw of raws) {
      const k = args.keyOf(raw);
      if (!k) continue;
      const atIso = 'skipped' in k ? k.at : k.at;
      const at = atIso === null ? null : Date.parse(atIso);
      if (at !== null && ((hw !== null && at < hw) || (args.floor !== undefined && at < args.floor))) {
        holds.seen({ at, iso: atIso as string });
        stop = true;
        break;
      }
      if ('skipped' in k) {
        skip(k.id, at === null ? null : { at, iso: atIso as string });
        continue;
      }
      const known = { at: at as EpochMs, iso: k.at };
      holds.seen(known);
      if (hw !== null && known.at === hw && hwIds.has(k.id)) continue;
      if (!runTop || known.at > runTop.at) runTop = { at: known.at, iso: k.at, ids: [k.id] };
      else if (known.at === runTop.at) runTop.ids.push(k.id);
      if (!lowest || known.at < lowest.at) lowest = known;
      if (partial && known.at > partial.doneDownTo && known.at <= partial.top) continue;
      toProcess.push({ id: k.id, at: known.at, atIso: k.at, value: k.value });
    }
    if (toProcess.length > 0) {
      await args.process(toProcess, (item) => skip(item.id, { at: item.at, iso: item.atIso }));
    }
    // checkpoint: everything from the top of this walk down to `done` is stored
    const done = lowest ? holds.checkpointFloor(lowest) : null;
    if (done && runTop) {
      if (!walk.partial) walk.partial = { top: runTop.iso, doneDownTo: done.iso };
      else if (done.at < Date.parse(walk.partial.doneDownTo)) walk.partial.doneDownTo = done.iso;
      await scope.ctx.saveCursor();
    }
    if (stop || !more || raws.length === 0) break;
  }
  // the walk is complete: move the high-water mark and keep the first page's ETag
  const tops = [
    ...(runTop ? [{ at: runTop.at, iso: runTop.iso, ids: runTop.ids }] : []),
    ...(walk.partial
      ? [{ at: Date.parse(walk.partial.top), iso: walk.partial.top, ids: [] as number[] }]
      : []),
    ...(walk.hw ? [{ at: Date.parse(walk.hw), iso: walk.hw, ids: walk.hwIds }] : []),
  ].sort((a, b) => b.at - a.at);
  const best = tops[0];
  const held = holds.finalHold();
  if (held === 'all') {
    // a skipped record of unknown position: the mark stays, the next walk goes as deep
  } else if (held) {
    // the next walk reaches down to the held record, inclusive: everything below is stored
    walk.hw = held.iso;
    walk.hwIds = [];
  } else if (best) {
    const ids = tops.filter((t) => t.at === best.at).flatMap((t) => t.ids);
    walk.hw = best.iso;
    walk.hwIds = [...new Set(ids)];
  }
  delete walk.partial;
  if (firstEtag && !holds.skipped) scope.ctx.cursor.etags[etagKey] = firstEtag;
  else delete scope.ctx.cursor.etags[etagKey];
  await scope.ctx.saveCursor();
}
