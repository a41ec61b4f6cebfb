// The demo's digest: after the demo engagements exist, "send now" on Demo: slipping posts a
// digest to the sandbox's Slack, listed in the history, equal to the preview.
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { startSandbox, type RunningSandbox } from '../../../sandbox/src';
import { WorkerModule } from '../../../worker/src/worker.module';
import { loadWorkerConfig } from '../../../worker/src/worker-config';
import { ADMIN, startApi, type ApiHarness } from '../../../../test/api-harness';

async function until<T>(what: string, check: () => Promise<T | undefined | null | false>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the demo digest', () => {
  let sandbox: RunningSandbox;
  let api: ApiHarness;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    const allowed = new URL(sandbox.url).host;
    api = await startApi('sqlite', {
      PULSE_DEMO_SANDBOX_URL: sandbox.url,
      PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
    });
    // The demo syncs are not what this is about: they wait, so the data stays as seeded.
    await api.syncQueue.pause();
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(
        loadWorkerConfig({
          REDIS_URL: api.config.REDIS_URL,
          QUEUE_PREFIX: api.config.QUEUE_PREFIX,
          PULSE_DATA_DIR: api.config.PULSE_DATA_DIR,
          PULSE_SECRET_KEY: api.config.PULSE_SECRET_KEY,
          PULSE_ALLOWED_UPSTREAM_HOSTS: allowed,
          WORKER_ID: 'demo-digest-worker',
          LOG_LEVEL: 'silent',
        }),
      ),
      { logger: false },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sandbox?.close();
  });

  it('"send now" on Demo: slipping posts to the sandbox, shows in the history and matches the preview', async () => {
    const agent = await api.signIn(ADMIN.email, ADMIN.password);
    const list = (await agent.get('/api/engagements').expect(200)).body as { id: string; name: string }[];
    const id = list.find((e) => e.name === 'Demo: slipping')!.id;
    const settings = (await agent.get(`/api/engagements/${id}/digest/settings`).expect(200)).body;
    expect(settings).toMatchObject({
      clientChannelId: 'C0SLIPGEN',
      vendorChannelId: 'C0SLIPDLV',
      vendorShareLinkValid: true,
      slackConnected: true,
    });
    await agent.post(`/api/engagements/${id}/digest/send`).send({ audience: 'client' }).expect(202);
    const digest = await until('the digest in the history', async () => {
      const history = (await agent.get(`/api/engagements/${id}/digests`).expect(200)).body;
      return history.find((d: { status: string }) => d.status === 'posted');
    });
    expect(digest).toMatchObject({
      audience: 'client',
      manual: true,
      channelId: 'C0SLIPGEN',
      errorCode: null,
    });

    const posted = (await (await fetch(`${sandbox.url}/_sandbox/slack/posted`)).json()) as {
      messages: { channel: string; ts: string; blocks: unknown; text: string }[];
    };
    const message = posted.messages.find((m) => m.channel === 'C0SLIPGEN' && m.ts === digest.ts);
    expect(message).toBeDefined();
    const preview = (await agent.get(`/api/engagements/${id}/digest/preview?audience=client`).expect(200))
      .body;
    expect(preview.blocks).toEqual(message!.blocks);
    expect(preview.text).toBe(message!.text);
    expect(JSON.stringify(preview.blocks)).toContain('Demo: slipping');
  });
});
