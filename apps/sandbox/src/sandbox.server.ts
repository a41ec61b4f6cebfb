// The sandbox HTTP server: one node:http server, routed by prefix to the simulated GitHub,
// Jira and Slack, plus the sandbox-only /_sandbox inspection routes.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { advanceWorld } from './core/advance.service';
import { FaultsService } from './core/faults.service';
import { type Reply, type SandboxRequest, json, readBody } from './core/http.util';
import { buildManifest } from './core/manifest.builder';
import { WorldStore } from './core/world.store';
import { SANDBOX_DEFAULT_NOW, SANDBOX_DEFAULT_SEED } from './credentials.constants';
import { coverageZip } from './github/coverage-artifact.builder';
import { GithubRoutes } from './github/github.routes';
import { GithubGraphqlRoutes } from './github/graphql/graphql.routes';
import { JiraRoutes } from './jira/jira.routes';
import {
  type FaultConfig,
  type RunningSandbox,
  SCENARIO_NAMES,
  type SandboxManifest,
  type SandboxOptions,
  type SandboxRequestLogEntry,
  type SourceName,
} from './sandbox.types';
import { SlackRoutes } from './slack/slack.routes';
import { SlackRateLimiter } from './slack/slack-app-class';
import { sendAdvanceEvents } from './slack/slack-advance-events';
import { sendSlackEvent } from './slack/slack-events.sender';
import { changeSlackMessage, type SlackChangeKind } from './slack/slack-mutations';

const PREFIXES: { prefix: string; source: SourceName }[] = [
  { prefix: '/github/api/v3', source: 'github' },
  { prefix: '/github/api/graphql', source: 'github' },
  { prefix: '/jira-dc', source: 'jira' },
  { prefix: '/jira', source: 'jira' },
  { prefix: '/slack/api', source: 'slack' },
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? SANDBOX_DEFAULT_SEED;
  const scale = options.scale ?? 1;
  if (!(scale >= 1) || !Number.isFinite(scale))
    throw new Error(`sandbox: scale must be a number ≥ 1, got ${String(options.scale)}`);
  const world = new WorldStore(seed, options.now ?? SANDBOX_DEFAULT_NOW, scale, SCENARIO_NAMES);
  const initialFaults: FaultConfig = options.faults ?? {};
  const faults = new FaultsService(seed, initialFaults);
  let origin = '';
  const github = new GithubRoutes(world, faults, () => origin);
  const githubGraphql = new GithubGraphqlRoutes(world, faults, () => origin);
  const jira = new JiraRoutes(world, faults, () => origin, 'cloud');
  const jiraDc = new JiraRoutes(world, faults, () => origin, 'datacenter');
  const slack = new SlackRoutes(world, faults, new SlackRateLimiter(options.slackClock ?? Date.now));
  let manifestCache: { version: number; counts: boolean; manifest: SandboxManifest } | undefined;

  const manifest = (opts: { counts?: boolean } = {}): SandboxManifest => {
    const counts = opts.counts ?? scale <= 5;
    if (!manifestCache || manifestCache.version !== world.advances || manifestCache.counts !== counts) {
      manifestCache = {
        version: world.advances,
        counts,
        manifest: buildManifest(world, origin, counts, options.jiraFlavours),
      };
    }
    return manifestCache.manifest;
  };
  // Every API request with its answer, so tests and benchmarks can count calls and prove
  // an endpoint was never reached.
  let requestLog: SandboxRequestLogEntry[] = [];
  const reset = (): void => {
    requestLog = [];
    world.reset();
    faults.reset(initialFaults);
    github.resetQuotas();
    githubGraphql.resetQuotas();
    slack.reset();
    manifestCache = undefined;
  };

  const changeSlack = (kind: SlackChangeKind, channel: string, ts: string) => {
    const change = changeSlackMessage(world, kind, channel, ts);
    if (!('error' in change)) manifestCache = undefined;
    return change;
  };

  const inspect = async (req: SandboxRequest): Promise<Reply> => {
    const route = `${req.method} ${req.path}`;
    let body: Record<string, unknown> = {};
    if (req.body) {
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return json(400, { error: 'body must be JSON' });
      }
    }
    switch (route) {
      case 'GET /health':
        return json(200, { ok: true, now: new Date(world.now).toISOString() });
      case 'GET /manifest': {
        const c = req.query.get('counts');
        return json(200, manifest(c === null ? {} : { counts: c === 'true' || c === '1' }));
      }
      case 'GET /slack/posted':
        return json(200, { messages: slack.posted });
      case 'GET /slack/responses':
        return json(200, { responses: slack.slashResponses });
      case 'POST /slack/fail':
        return slack.chat.setFailures(body);
      case 'GET /faults':
        return json(200, faults.all());
      case 'POST /faults':
        try {
          faults.set(body as FaultConfig);
        } catch (e) {
          return json(400, { error: (e as Error).message });
        }
        return json(200, faults.all());
      case 'POST /reset':
        reset();
        return json(200, { ok: true, now: new Date(world.now).toISOString() });
      case 'POST /slack/edit':
      case 'POST /slack/delete': {
        const channel = body['channel'];
        const ts = body['ts'];
        if (typeof channel !== 'string' || typeof ts !== 'string')
          return json(400, { error: 'body must be {"channel": "C…", "ts": "1712345678.000100"}' });
        const change = changeSlack(route === 'POST /slack/edit' ? 'edit' : 'delete', channel, ts);
        if ('error' in change) return json(404, { error: change.error });
        // Slack pushes the change to an Events API subscriber, if one is configured.
        if (options.slackEventsUrl && body['notify'] !== false)
          await sendSlackEvent(options.slackEventsUrl, change.event).catch((e: unknown) => {
            process.stderr.write(`sandbox: Slack event not delivered: ${(e as Error).message}\n`);
          });
        return json(200, {
          ok: true,
          change: { kind: change.kind, channel, ts, changedTs: change.changedTs },
        });
      }
      case 'POST /advance': {
        const hours = body['hours'] === undefined ? 24 : Number(body['hours']);
        if (!Number.isFinite(hours) || hours <= 0)
          return json(400, { error: 'hours must be a positive number' });
        const advanced = advanceWorld(world, hours);
        // Slack pushes new messages: the Events API sender posts them to Pulse, if configured.
        if (options.slackEventsUrl)
          await sendAdvanceEvents(options.slackEventsUrl, world, advanced).catch((e: unknown) => {
            process.stderr.write(`sandbox: Slack events not delivered: ${(e as Error).message}\n`);
          });
        return json(200, advanced);
      }
      default:
        return json(404, { error: `no sandbox route ${route}` });
    }
  };

  const blob = (path: string): Reply | undefined => {
    const m = /^\/github\/_blobs\/artifacts\/(\d+)\/(\d+)\.zip$/.exec(path);
    if (!m) return undefined;
    const repo = world.repoById(Number(m[1]));
    if (!repo) return json(404, { message: 'Not Found' });
    const idx = Number(m[2]) - repo.ctx.repo.id * 1_000_000 - 1;
    const it = repo.items.byIndex(idx) ?? repo.items.tail.find((i) => i.index === idx);
    if (!it || it.mergedAt === undefined) return json(404, { message: 'Not Found' });
    return {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename=coverage-report.zip`,
      },
      body: coverageZip(it),
    };
  };

  const dispatch = async (raw: IncomingMessage): Promise<Reply> => {
    const url = new URL(raw.url ?? '/', origin);
    const body = await readBody(raw);
    const make = (path: string): SandboxRequest => ({
      method: raw.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: raw.headers,
      body,
      url,
    });
    if (url.pathname.startsWith('/_sandbox/')) return inspect(make(url.pathname.slice('/_sandbox'.length)));
    const b = blob(url.pathname);
    if (b) return b;
    if (/^\/slack\/commands\/[^/]+\/[^/]+\/[^/]+$/.test(url.pathname)) {
      const reply = slack.respond(url.pathname, make(url.pathname));
      requestLog.push({
        source: 'slack',
        method: raw.method ?? 'GET',
        path: url.pathname,
        status: reply.status,
      });
      return reply;
    }
    for (const { prefix, source } of PREFIXES) {
      if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
        const delay = faults.delayMs(source);
        if (delay > 0) await sleep(delay);
        const req = make(url.pathname.slice(prefix.length) || '/');
        const reply =
          source === 'github'
            ? prefix === '/github/api/graphql'
              ? githubGraphql.handle(req)
              : github.handle(req)
            : source === 'jira'
              ? (prefix === '/jira-dc' ? jiraDc : jira).handle(req)
              : slack.handle(req);
        requestLog.push({ source, method: req.method, path: `${prefix}${req.path}`, status: reply.status });
        return reply;
      }
    }
    return json(404, {
      error: 'not found',
      hint: 'GitHub: /github/api/v3, Jira Cloud: /jira, Jira Data Center: /jira-dc, Slack: /slack/api/, sandbox: /_sandbox/manifest',
    });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    dispatch(req)
      .then((reply) => {
        // the Date header follows the sandbox clock so that whole responses are reproducible
        res.sendDate = false;
        const headers: Record<string, string> = { date: new Date(world.now).toUTCString(), ...reply.headers };
        if (reply.status !== 304) headers['content-length'] = String(Buffer.byteLength(reply.body));
        res.writeHead(reply.status, headers);
        res.end(reply.status === 304 ? undefined : reply.body);
      })
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            message: 'sandbox internal error',
            error: e instanceof Error ? e.message : String(e),
          }),
        );
      });
  });
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  origin = `http://${urlHost}:${port}`;

  return {
    url: origin,
    port,
    host,
    githubUrl: `${origin}/github/api/v3`,
    slackUrl: `${origin}/slack/api/`,
    jira: { protocol: 'http', host: urlHost, port: String(port), base: 'jira', apiVersion: '2' },
    manifest,
    setFaults: (f) => faults.set(f),
    advance: (hours = 24) => advanceWorld(world, hours),
    changeSlackMessage: (kind, channel, ts) => changeSlack(kind, channel, ts),
    reset,
    posted: () => [...slack.posted],
    slashResponses: () => [...slack.slashResponses],
    requests: () => [...requestLog],
    clearRequests: () => {
      requestLog = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
