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

describe('OIDC settings', () => {
  it('are off when unset, and need the issuer and a client id together', () => {
    expect(loadApiConfig(base).PULSE_OIDC_ISSUER).toBeUndefined();
    expect(() => loadApiConfig({ ...base, PULSE_OIDC_ISSUER: 'https://id.example.com' })).toThrow(
      /PULSE_OIDC_CLIENT_ID: is required/,
    );
    expect(() => loadApiConfig({ ...base, PULSE_OIDC_CLIENT_ID: 'pulse' })).toThrow(
      /PULSE_OIDC_CLIENT_ID: needs PULSE_OIDC_ISSUER/,
    );
  });

  it('refuse a plain-http issuer unless its host is an approved upstream host', () => {
    const oidc = { ...base, PULSE_OIDC_ISSUER: 'http://10.0.0.9:8080', PULSE_OIDC_CLIENT_ID: 'pulse' };
    expect(() => loadApiConfig(oidc)).toThrow(/PULSE_OIDC_ISSUER: must be https/);
    expect(loadApiConfig({ ...oidc, PULSE_ALLOWED_UPSTREAM_HOSTS: '10.0.0.9:8080' }).PULSE_OIDC_ISSUER).toBe(
      'http://10.0.0.9:8080',
    );
  });

  it('parse the allowed e-mail domains, lower-cased', () => {
    const config = loadApiConfig({
      ...base,
      PULSE_OIDC_ISSUER: 'https://id.example.com',
      PULSE_OIDC_CLIENT_ID: 'pulse',
      PULSE_OIDC_ALLOWED_DOMAINS: ' Example.com, example.org ,',
    });
    expect(config.PULSE_OIDC_ALLOWED_DOMAINS).toEqual(['example.com', 'example.org']);
    expect(() =>
      loadApiConfig({
        ...base,
        PULSE_OIDC_ISSUER: 'https://id.example.com',
        PULSE_OIDC_CLIENT_ID: 'pulse',
        PULSE_OIDC_ALLOWED_DOMAINS: '@example.com',
      }),
    ).toThrow(/PULSE_OIDC_ALLOWED_DOMAINS: must be comma-separated e-mail domains/);
  });
});

describe('SMTP and invitation settings', () => {
  it('sends no mail by default, and links last 7 days', () => {
    const config = loadApiConfig(base);
    expect(config.PULSE_SMTP_HOST).toBeUndefined();
    expect(config.PULSE_INVITATION_TTL_HOURS).toBe(168);
  });

  it('needs a sender with a relay, and the user and password together', () => {
    expect(() => loadApiConfig({ ...base, PULSE_SMTP_HOST: 'smtp.example.com' })).toThrow(/PULSE_SMTP_FROM/);
    expect(() =>
      loadApiConfig({
        ...base,
        PULSE_SMTP_HOST: 'smtp.example.com',
        PULSE_SMTP_FROM: 'pulse@example.com',
        PULSE_SMTP_USER: 'pulse',
      }),
    ).toThrow(/PULSE_SMTP_PASSWORD/);
    const config = loadApiConfig({
      ...base,
      PULSE_SMTP_HOST: 'smtp.example.com',
      PULSE_SMTP_PORT: '465',
      PULSE_SMTP_SECURE: 'true',
      PULSE_SMTP_FROM: 'Pulse <pulse@example.com>',
      PULSE_INVITATION_TTL_HOURS: '48',
    });
    expect(config).toMatchObject({
      PULSE_SMTP_PORT: 465,
      PULSE_SMTP_SECURE: true,
      PULSE_INVITATION_TTL_HOURS: 48,
    });
    expect(() => loadApiConfig({ ...base, PULSE_INVITATION_TTL_HOURS: '0' })).toThrow(
      /PULSE_INVITATION_TTL_HOURS/,
    );
  });
});
