import { loadApiConfig, secureCookies } from './api-config';

const base = { NODE_ENV: 'test', REDIS_URL: 'redis://127.0.0.1:6379' };

describe('secureCookies', () => {
  it('makes cookies Secure when the public URL is https, even behind a proxy that hides TLS', () => {
    const config = loadApiConfig({ ...base, PULSE_PUBLIC_URL: 'https://pulse.example.com' });
    expect(secureCookies(config, false)).toBe(true);
  });

  it('follows the request over plain http, and an explicit setting wins', () => {
    expect(secureCookies(loadApiConfig({ ...base, PULSE_PUBLIC_URL: 'http://localhost:3000' }), false)).toBe(
      false,
    );
    expect(secureCookies(loadApiConfig(base), true)).toBe(true);
    const forcedOff = loadApiConfig({
      ...base,
      PULSE_PUBLIC_URL: 'https://x.example',
      PULSE_COOKIE_SECURE: 'false',
    });
    expect(secureCookies(forcedOff, true)).toBe(false);
  });

  it('refuses a short metrics token', () => {
    expect(() => loadApiConfig({ ...base, PULSE_METRICS_TOKEN: 'short' })).toThrow(/PULSE_METRICS_TOKEN/);
  });
});
