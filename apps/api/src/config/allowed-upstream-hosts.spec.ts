import { ConfigError } from '@pulse/db';
import { loadWorkerConfig } from '../../../worker/src/worker-config';
import { loadApiConfig } from './api-config';

const base = { REDIS_URL: 'redis://127.0.0.1:6379' };

describe('PULSE_ALLOWED_UPSTREAM_HOSTS at config load', () => {
  it.each([
    ['api', loadApiConfig],
    ['worker', loadWorkerConfig],
  ])('%s: parses the list, and refuses a malformed one naming the variable', (_app, load) => {
    expect(
      load({ ...base, PULSE_ALLOWED_UPSTREAM_HOSTS: 'ghe.internal:443, 10.0.0.5' })
        .PULSE_ALLOWED_UPSTREAM_HOSTS,
    ).toEqual([
      { host: 'ghe.internal', port: 443 },
      { host: '10.0.0.5', port: null },
    ]);
    expect(load(base).PULSE_ALLOWED_UPSTREAM_HOSTS).toEqual([]);
    let error: unknown;
    try {
      load({ ...base, PULSE_ALLOWED_UPSTREAM_HOSTS: 'https://ghe.internal/api' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /PULSE_ALLOWED_UPSTREAM_HOSTS: "https:\/\/ghe.internal\/api" is not host\[:port\]/,
    );
  });
});
