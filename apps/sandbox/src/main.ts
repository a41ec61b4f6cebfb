// Standalone entry: `node dist/sandbox/apps/sandbox/src/main.js`.
import { startSandbox } from './sandbox.server';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    process.stderr.write(`sandbox: ${name} must be a number, got "${raw}"\n`);
    process.exit(1);
  }
  return n;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    port: envNumber('SANDBOX_PORT', 4100),
    host: process.env['SANDBOX_HOST'] || '127.0.0.1',
    ...(process.env['SANDBOX_SEED'] ? { seed: process.env['SANDBOX_SEED'] } : {}),
    ...(process.env['SANDBOX_NOW'] ? { now: process.env['SANDBOX_NOW'] } : {}),
    scale: envNumber('SANDBOX_SCALE', 1),
    ...(process.env['SANDBOX_SLACK_EVENTS_URL']
      ? { slackEventsUrl: process.env['SANDBOX_SLACK_EVENTS_URL'] }
      : {}),
  });
  process.stdout.write(
    `Pulse sandbox listening on ${sandbox.url}\n` +
      `  GitHub: ${sandbox.githubUrl}\n  Jira:   ${sandbox.url}/jira\n  Slack:  ${sandbox.slackUrl}\n  Manifest: ${sandbox.url}/_sandbox/manifest\n`,
  );
  let closing = false;
  const stop = (signal: string): void => {
    if (closing) return;
    closing = true;
    process.stdout.write(`sandbox: ${signal} received, closing\n`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`sandbox: close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox: failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
