import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { createApp } from './app';
import type { ApiConfig } from './config/api-config';

/** The API's port cannot be had; the message says which port and what to do. */
export class PortUnavailableError extends Error {
  override readonly name = 'PortUnavailableError';
  constructor(
    readonly port: number,
    readonly host: string,
    readonly code: string,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use by another process. Stop that process ` +
            `(see which one with: ss -ltnp 'sport = :${port}'), or start Pulse on another port: PORT=${port + 1} npm start`
        : `not allowed to listen on port ${port} on ${host} (${code}). Choose a port above 1024: PORT=3000 npm start`,
    );
  }
}

/**
 * Create the API, take its port, and only then initialise it. Initialising creates the first
 * admin and the demo engagements; taking the port first means that a port someone else
 * grabbed after `npm start`'s early check leaves nothing half-made behind, and the next
 * start simply works. Requests that arrive during initialisation get a 404 (no routes yet),
 * which start-up's health check waits out.
 */
export async function serve(
  config: ApiConfig,
  options: { logs?: boolean } = {},
): Promise<NestExpressApplication> {
  const app = await createApp(config, options);
  try {
    await bind(app.getHttpServer() as Server, config.PORT, config.HOST);
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new PortUnavailableError(config.PORT, config.HOST, code);
    throw error;
  }
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

function bind(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
