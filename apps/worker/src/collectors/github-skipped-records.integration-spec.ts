// Records skipped as malformed are collected once the upstream sends them intact again:
// the cursor and the ETags must not move past them. Real Octokit against the sandbox, the
// real sync runner and record writer, on SQLite and PostgreSQL.
import { DataSource } from 'typeorm';
import { connectorFor, createOutboundPolicy } from '@pulse/connectors';
import {
  ConnectionEntity,
  DeploymentEntity,
  PullRequestEntity,
  ReleaseEntity,
  ReviewEntity,
  SecretBox,
  SyncRunEntity,
  WorkItemEntity,
} from '@pulse/db';
import { SANDBOX_GITHUB_TOKEN, startSandbox } from '../../../sandbox/src';
import { DATABASE_KINDS } from '../../../../test/databases';
import { ADMIN, anEngagementBody, startApi, type ApiHarness } from '../../../../test/api-harness';
import { SyncRunnerService } from '../sync/sync-runner.service';
import { loadWorkerConfig } from '../worker-config';
import { ConnectorCollector } from './connector.collector';

describe.each(DATABASE_KINDS)('malformed GitHub records on %s', (kind) => {
  jest.setTimeout(600_000);
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let api: ApiHarness;
  let runner: SyncRunnerService;
  let db: DataSource;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, now: '2026-11-20T12:00:00.000Z' });
    // the sandbox is on loopback: allowed explicitly, as `npm start` does
    const allowed = new URL(sandbox.url).host;
    api = await startApi(kind, { PULSE_ALLOWED_UPSTREAM_HOSTS: allowed });
    db = api.app.get(DataSource);
    const config = loadWorkerConfig({
      REDIS_URL: api.config.REDIS_URL,
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
      WORKER_ID: `skipped-${kind}`,
      LOG_LEVEL: 'silent',
    });
    runner = new SyncRunnerService(db, api.app.get(SecretBox), config, [
      new ConnectorCollector(
        connectorFor('github')!,
        createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS }),
      ),
    ]);
  });

  afterAll(async () => {
    await api?.close();
    await sandbox?.close();
  });

  it('re-collects every skipped record once the fault clears, and a full resync changes nothing', async () => {
    const scenario = sandbox.manifest({ counts: true }).scenarios.steady;
    const repo = scenario.github.repos[0]!;
    const expected = scenario.counts!.githubByRepo[repo.name]!;
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const { body: engagement } = await agent.post('/api/engagements').send(anEngagementBody()).expect(201);
    const engagementId = engagement.id as string;
    await agent
      .put(`/api/engagements/${engagementId}/connections/github`)
      .send({
        settings: { baseUrl: sandbox.githubUrl, repos: [repo.fullName], api: 'rest' }, // malformed REST payloads
        secret: `${SANDBOX_GITHUB_TOKEN}_skipped_${kind}`,
      })
      .expect(200);
    const sync = async (jobId: string) =>
      (await runner.run(jobId, { engagementId, trigger: 'manual' }, async () => undefined)).run;
    const stored = async () => ({
      pullRequests: await db.getRepository(PullRequestEntity).countBy({ engagementId }),
      reviews: await db.getRepository(ReviewEntity).countBy({ engagementId }),
      issues: await db.getRepository(WorkItemEntity).countBy({ engagementId, source: 'github' }),
      deployments: await db.getRepository(DeploymentEntity).countBy({ engagementId }),
      releases: await db.getRepository(ReleaseEntity).countBy({ engagementId }),
    });
    const complete = {
      pullRequests: expected.pullRequests,
      reviews: expected.reviews + expected.reviewComments,
      issues: expected.issues,
      deployments: expected.deployments,
      releases: expected.releases,
    };

    sandbox.setFaults({ github: { malformedRate: 0.1 } });
    const faulty = await sync(`skipped-1-${kind}`);
    expect(faulty.status).toBe('partial');
    expect(faulty.counts.github!.skipped).toBeGreaterThan(0);
    expect(faulty.error).toMatch(/github: skipped \d+ malformed records?, will retry \d+ on the next sync/);
    const afterFault = await stored();
    // the fault bit: something is missing
    expect(afterFault.pullRequests + afterFault.issues).toBeLessThan(complete.pullRequests + complete.issues);

    sandbox.setFaults({ github: {} });
    const healed = await sync(`skipped-2-${kind}`);
    expect({ status: healed.status, error: healed.error }).toEqual({ status: 'succeeded', error: null });
    expect(await stored()).toEqual(complete);
    const connection = await db
      .getRepository(ConnectionEntity)
      .findOneByOrFail({ engagementId, kind: 'github' });
    expect(JSON.stringify(connection.cursor)).not.toContain('"retry"');

    // nothing is left to retry: the next sync is all 304s
    const quiet = await sync(`skipped-3-${kind}`);
    expect(quiet.status).toBe('succeeded');
    expect(quiet.apiCallsNotModified).toBe(quiet.apiCalls);

    // a manager's full resync forgets cursor and ETags, queues a sync, and loses nothing
    const resync = await agent.post(`/api/engagements/${engagementId}/connections/github/resync`).expect(202);
    expect(resync.body).toMatchObject({ status: 'queued', trigger: 'manual' });
    const reset = await db.getRepository(ConnectionEntity).findOneByOrFail({ engagementId, kind: 'github' });
    expect(reset.cursor).toBeNull();
    const full = await sync(resync.body.jobId as string);
    expect(full.status).toBe('succeeded');
    expect(full.counts.github!.pullRequests).toBe(complete.pullRequests);
    expect(await stored()).toEqual(complete);
    const run = await db.getRepository(SyncRunEntity).findOneByOrFail({ jobId: resync.body.jobId });
    expect(run.status).toBe('succeeded');
    await agent.post(`/api/engagements/${engagementId}/connections/slack/resync`).expect(404);

    // while a sync runs, a reset would be written over by that sync's cursor: refused
    const before = await db.getRepository(ConnectionEntity).findOneByOrFail({ engagementId, kind: 'github' });
    await db.getRepository(SyncRunEntity).update({ jobId: resync.body.jobId }, { status: 'running' });
    const busy = await agent.post(`/api/engagements/${engagementId}/connections/github/resync`).expect(409);
    expect(busy.body.message).toMatch(/sync of this engagement is running/);
    const after = await db.getRepository(ConnectionEntity).findOneByOrFail({ engagementId, kind: 'github' });
    expect(after.cursor).toEqual(before.cursor);
    expect(after.cursor).not.toBeNull();
  });
});
