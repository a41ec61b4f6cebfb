import { ConfigError } from '@pulse/db';
import { loadApiConfig } from './config/api-config';
import { PortUnavailableError, serve } from './serve';

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
  try {
    await serve(config);
  } catch (e) {
    if (e instanceof PortUnavailableError) {
      process.stderr.write(`pulse api: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  process.stdout.write(`Pulse API listening on http://${config.HOST}:${config.PORT}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulse api failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
