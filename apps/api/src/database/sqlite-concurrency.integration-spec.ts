// The API and another writer (as the worker is during a sync) on one real SQLite file: no API
// write may fail with "database is locked". The other writer is a second better-sqlite3
// connection on its own thread, committing small write transactions as fast as it can.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';

const root = join(__dirname, '../../../..');

// Plain JavaScript on purpose: worker threads do not go through Jest's TypeScript transform.
const HAMMER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE IF NOT EXISTS hammer (id INTEGER PRIMARY KEY, at INTEGER, pad TEXT)');
const insert = db.prepare('INSERT INTO hammer (at, pad) VALUES (?, ?)');
const stop = new Int32Array(workerData.stop);
const pause = new Int32Array(new SharedArrayBuffer(4));
let commits = 0, failures = 0;
while (Atomics.load(stop, 0) === 0) {
  try {
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < 50; i++) insert.run(Date.now(), 'x'.repeat(200));
    db.exec('COMMIT');
    commits++;
  } catch (e) {
    failures++;
    try { db.exec('ROLLBACK'); } catch {}
  }
  Atomics.wait(pause, 0, 0, 1); // leave the lock free for a moment, as a syncing worker does between pages
}
db.close();
parentPort.postMessage({ commits, failures });
`;

describe('SQLite under a concurrent writer', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi('sqlite');
  });
  afterAll(() => api?.close());

  it('every API write succeeds while another connection hammers the same file', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(
        (
          await agent
            .post('/api/engagements')
            .send(anEngagementBody({ name: `E${i}` }))
            .expect(201)
        ).body.id,
      );
    }

    const stop = new SharedArrayBuffer(4);
    const hammer = new Worker(HAMMER, {
      eval: true,
      workerData: {
        file: api.database.sqlitePath,
        betterSqlite3: require.resolve('better-sqlite3', { paths: [root] }),
        stop,
      },
    });
    const hammerDone = new Promise<{ commits: number; failures: number }>((resolve, reject) => {
      hammer.once('message', resolve);
      hammer.once('error', reject);
    });

    // Four clients, each writing its engagement's thresholds and roster 30 times: transactions
    // that read before they write, which a deferred BEGIN cannot carry past the other writer.
    // Plus renames, new engagements (multi-row inserts) and sign-ins (session inserts).
    const statuses: number[] = [];
    const ROUNDS = 30;
    await Promise.all([
      ...ids.map(async (id, client) => {
        for (let i = 0; i < ROUNDS; i++) {
          const thresholds = await agent
            .put(`/api/engagements/${id}/thresholds`)
            .send({ thresholds: [{ kpiKey: 'coverage.line', warn: 80, breach: i }] });
          statuses.push(thresholds.status);
          const people = await agent.put(`/api/engagements/${id}/people`).send({
            people: [{ displayName: `P${i}`, side: 'vendor', identities: { github: [`p${client}-${i}`] } }],
          });
          statuses.push(people.status);
          const rename = await agent.patch(`/api/engagements/${id}`).send({ name: `E${client}-${i}` });
          statuses.push(rename.status);
        }
      }),
      (async () => {
        for (let i = 0; i < 15; i++) {
          statuses.push(
            (await agent.post('/api/engagements').send(anEngagementBody({ name: `N${i}` }))).status,
          );
          statuses.push((await api.http().post('/api/auth/login').send(ADMIN)).status);
        }
      })(),
    ]);
    Atomics.store(new Int32Array(stop), 0, 1);
    const other = await hammerDone;

    const failed = statuses.filter((s) => s >= 300);
    expect({ failed, total: statuses.length }).toEqual({ failed: [], total: 4 * 3 * ROUNDS + 30 });
    // The other writer really was writing the whole time, and it was not starved either.
    expect(other.commits).toBeGreaterThan(10);
    expect(other.failures).toBe(0);
    const names = await Promise.all(
      ids.map(async (id) => (await agent.get(`/api/engagements/${id}`).expect(200)).body.name),
    );
    expect(names).toEqual(ids.map((_, client) => `E${client}-${ROUNDS - 1}`));
  });
});
