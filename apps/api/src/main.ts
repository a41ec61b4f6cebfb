import { ConfigError } from '@pulse/db';
import { createApp } from './app';
import { loadApiConfig } from './config/api-config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadApiConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`pulse api: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(`Pulse API listening on http://${config.HOST}:${config.PORT}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulse api failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
