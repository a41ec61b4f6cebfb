import type { DataSource, QueryRunner } from 'typeorm';

/**
 * How the API and the worker share one SQLite file without "database is locked".
 *
 * 1. Write transactions start with `BEGIN IMMEDIATE`. TypeORM opens every transaction with a
 *    plain (deferred) `BEGIN`, which reads first and asks for the write lock only at its first
 *    write; if the other process committed in between, SQLite answers SQLITE_BUSY at once
 *    (its busy handler cannot help: waiting would not make the stale snapshot writable). That
 *    is how 11 of 5 585 API writes failed with 500 during a sync. With IMMEDIATE the lock is
 *    taken up front, where waiting for it is safe.
 * 2. better-sqlite3 is synchronous: its busy timeout waits *on the event loop*. It is kept
 *    short, and a statement that still meets a busy database is retried asynchronously with
 *    backoff, so the API keeps serving while it waits its turn.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 100;
export const SQLITE_BUSY_RETRY_FOR_MS = 30_000;

const BEGIN = /^\s*BEGIN(\s+DEFERRED)?(\s+TRANSACTION)?\s*;?\s*$/i;

interface PreparingDatabase {
  prepare(sql: string): unknown;
}

/** For better-sqlite3's `prepareDatabase`: every `BEGIN` this connection prepares becomes `BEGIN IMMEDIATE`. */
export function useImmediateTransactions(db: PreparingDatabase): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => prepare(BEGIN.test(sql) ? 'BEGIN IMMEDIATE TRANSACTION' : sql);
}

export function isSqliteBusy(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError ?? error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Retries statements that met SQLITE_BUSY, asynchronously and with growing pauses, for up to
 * `retryForMs`. Only statements that are safe to repeat are retried: anything outside a
 * transaction (it did not happen), the `BEGIN` itself, and `COMMIT` (SQLite keeps the
 * transaction open after a busy COMMIT precisely so that it can be retried).
 */
export function retryWhenBusy(dataSource: DataSource, retryForMs = SQLITE_BUSY_RETRY_FOR_MS): void {
  const driver = dataSource.driver as { createQueryRunner(mode?: unknown): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  const patched = new WeakSet<QueryRunner>();
  driver.createQueryRunner = (mode?: unknown) => {
    const runner = create(mode);
    if (patched.has(runner)) return runner;
    patched.add(runner);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    (runner as { query: (...args: unknown[]) => Promise<unknown> }).query = async (...args: unknown[]) => {
      const sql = String(args[0]);
      const deadline = Date.now() + retryForMs;
      for (let attempt = 0; ; attempt++) {
        try {
          return await query(...args);
        } catch (error) {
          const repeatable =
            BEGIN.test(sql) || /^\s*COMMIT\b/i.test(sql) || /^\s*BEGIN\s+IMMEDIATE\b/i.test(sql)
              ? true
              : !runner.isTransactionActive;
          if (!isSqliteBusy(error) || !repeatable || Date.now() >= deadline) throw error;
          const pause = Math.min(5 * 2 ** attempt, 200) * (0.5 + Math.random());
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
      }
    };
    return runner;
  };
}
