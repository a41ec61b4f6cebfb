import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ParseCoverageOptions } from './coverage-report.parser';
import { type CoverageTotals } from './coverage-totals';
import { CoverageParseError, type CoverageErrorCode, type CoverageErrorSource } from './errors';

/** What the API posts to the parser thread. */
export interface WorkerRequest {
  content: Uint8Array;
  filename?: string;
  maxBytes?: number;
}

/** What the parser thread answers: totals, or the parse error's parts (errors do not cross threads intact). */
export type WorkerReply =
  | { ok: true; totals: CoverageTotals }
  | { ok: false; format: CoverageErrorSource; code: CoverageErrorCode; detail: string };

export interface ParseInWorkerOptions extends ParseCoverageOptions {
  /** A parse still running after this is stopped and refused as too large. */
  readonly timeoutMs?: number;
  /** Heap of the parser thread; a report that needs more is refused, the API is untouched. */
  readonly maxHeapMb?: number;
}

/** Too many reports are being parsed at once; the caller should answer 503 with Retry-After. */
export class CoverageParserBusyError extends Error {
  override readonly name = 'CoverageParserBusyError';
  readonly retryAfterSeconds = 5;
  constructor() {
    super('the server is parsing other coverage reports; retry in a few seconds');
  }
}

const MAX_RUNNING = 2;
const MAX_WAITING = 8;
let running = 0;
const waiting: (() => void)[] = [];

// Compiled (dist/…/*.js) the worker is plain JavaScript; run from sources (tests, ts scripts)
// it is TypeScript and needs the same on-the-fly compiler the scripts use.
const fromSources = __filename.endsWith('.ts');
const WORKER_ENTRY = join(__dirname, `coverage-parse.worker.${fromSources ? 'ts' : 'js'}`);
const WORKER_EXEC_ARGV = fromSources ? ['--require', require.resolve('@swc-node/register')] : [];

/**
 * parseCoverageReport on a worker thread, so that a large or hostile report costs the caller's
 * event loop nothing, with a time and heap budget of its own. At most two parse at once;
 * a few more wait their turn, and beyond that callers get CoverageParserBusyError.
 */
export async function parseCoverageReportInWorker(
  content: Uint8Array,
  options: ParseInWorkerOptions = {},
): Promise<CoverageTotals> {
  await acquire();
  try {
    return await runWorker(content, options);
  } finally {
    release();
  }
}

function acquire(): Promise<void> {
  if (running < MAX_RUNNING) {
    running += 1;
    return Promise.resolve();
  }
  if (waiting.length >= MAX_WAITING) return Promise.reject(new CoverageParserBusyError());
  // The slot is handed over by release(): `running` stays counted.
  return new Promise((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running -= 1;
}

function runWorker(content: Uint8Array, options: ParseInWorkerOptions): Promise<CoverageTotals> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxHeapMb = options.maxHeapMb ?? 256;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_ENTRY, {
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new CoverageParseError(
              'unknown',
              'too_large',
              `the report took longer than ${Math.round(timeoutMs / 1000)} s to parse; upload a smaller report`,
            ),
          ),
        ),
      timeoutMs,
    );
    worker.once('message', (reply: WorkerReply) =>
      settle(() =>
        reply.ok
          ? resolve(reply.totals)
          : reject(new CoverageParseError(reply.format, reply.code, reply.detail)),
      ),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new CoverageParseError(
                'unknown',
                'too_large',
                `the report needs more than ${maxHeapMb} MB to parse; upload a smaller report`,
              )
            : error,
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new Error(`the coverage parser thread exited (${code}) without an answer`))),
    );
    const request: WorkerRequest = { content, filename: options.filename, maxBytes: options.maxBytes };
    worker.postMessage(request);
  });
}
