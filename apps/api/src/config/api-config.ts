import { z } from 'zod';
import { allowedUpstreamHostsSchema, isAllowedHost } from '@pulse/connectors';
import { parseEnv, runtimeEnvSchema } from '@pulse/db';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const apiEnvSchema = runtimeEnvSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Public base URL, used in links (share links, digests) and to decide Secure cookies. */
    PULSE_PUBLIC_URL: z.string().url().optional(),
    PULSE_ADMIN_EMAIL: z.string().email().optional(),
    PULSE_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(24 * 7),
    /** Built dashboard to serve at /; not served when the folder is missing. */
    PULSE_DASHBOARD_DIR: z.string().default('dist/dashboard'),
    /**
     * Force Secure cookies on/off; by default they are Secure when PULSE_PUBLIC_URL is https
     * or the request came over TLS.
     */
    PULSE_COOKIE_SECURE: bool.optional(),
    PULSE_TRUST_PROXY: bool.default(false),
    /** host[:port] list a connection may reach although it is loopback/private/link-local. */
    PULSE_ALLOWED_UPSTREAM_HOSTS: allowedUpstreamHostsSchema,
    /**
     * The Slack app's "Signing Secret" (Basic Information page): requests to /api/slack/* (Events
     * API, the /pulse command) are accepted only when signed with it. Unset: they are refused.
     */
    PULSE_SLACK_SIGNING_SECRET: z.string().min(8, "must be the Slack app's signing secret").optional(),
    /** Create the demo engagements from the sandbox at this URL on start. */
    PULSE_DEMO_SANDBOX_URL: z.string().url().optional(),
    /**
     * Bearer token for GET /metrics (Prometheus `authorization` / `bearer_token`). Unset:
     * /metrics answers only to a signed-in admin.
     */
    PULSE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Sign-in attempts per account that run without delay; after that, delays double per failure. */
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    /** Quiet time after which an account's or IP's failed sign-ins are forgotten. */
    LOGIN_RATE_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .default(15 * 60),
    /** First delay once an account is over LOGIN_RATE_LIMIT; it doubles with each further failure. */
    LOGIN_BACKOFF_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
    /** Longest delay between two sign-in attempts of one account. */
    LOGIN_BACKOFF_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .default(15 * 60),
    /** Failed sign-ins per client IP per window; accounts that signed in from that IP are exempt. */
    LOGIN_IP_RATE_LIMIT: z.coerce.number().int().min(1).default(1000),
    /**
     * OpenID Connect sign-in ("Sign in with SSO"): on when the issuer is set. The issuer's host
     * is subject to the outbound policy like any upstream (a private or loopback issuer needs
     * PULSE_ALLOWED_UPSTREAM_HOSTS).
     */
    PULSE_OIDC_ISSUER: z.url().optional(),
    PULSE_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
    /** Unset: a public client (PKCE only, no client authentication at the token endpoint). */
    PULSE_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
    /** Comma-separated e-mail domains that may sign in with SSO; unset: any domain. */
    PULSE_OIDC_ALLOWED_DOMAINS: z
      .string()
      .regex(
        /^\s*[a-z0-9.-]+\s*(,\s*[a-z0-9.-]+\s*)*,?\s*$/i,
        'must be comma-separated e-mail domains such as example.com,example.org',
      )
      .transform((raw) =>
        raw
          .split(',')
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      )
      .optional(),
    /** How long an invitation or password-reset link stays valid. */
    PULSE_INVITATION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24 * 7),
    /** Optional SMTP relay: when set, invitation and reset links are also e-mailed. */
    PULSE_SMTP_HOST: z.string().min(1).max(253).optional(),
    PULSE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
    PULSE_SMTP_SECURE: bool.default(false),
    PULSE_SMTP_USER: z.string().min(1).max(320).optional(),
    PULSE_SMTP_PASSWORD: z.string().min(1).max(1024).optional(),
    /** Sender address, e.g. "Pulse <pulse@example.com>"; required with PULSE_SMTP_HOST. */
    PULSE_SMTP_FROM: z.string().min(3).max(320).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.PULSE_SMTP_HOST && !env.PULSE_SMTP_FROM)
      ctx.addIssue({
        code: 'custom',
        path: ['PULSE_SMTP_FROM'],
        message: 'is required with PULSE_SMTP_HOST: the sender address, such as "Pulse <pulse@example.com>"',
      });
    if (!!env.PULSE_SMTP_USER !== !!env.PULSE_SMTP_PASSWORD)
      ctx.addIssue({
        code: 'custom',
        path: ['PULSE_SMTP_PASSWORD'],
        message:
          'set PULSE_SMTP_USER and PULSE_SMTP_PASSWORD together (or neither, for a relay without sign-in)',
      });
  });

/** Cross-variable rules of the OIDC settings: all or nothing, and no plain-HTTP issuer on the internet. */
export const apiEnvSchemaChecked = apiEnvSchema.superRefine((env, ctx) => {
  const oidcVars = [
    'PULSE_OIDC_CLIENT_ID',
    'PULSE_OIDC_CLIENT_SECRET',
    'PULSE_OIDC_ALLOWED_DOMAINS',
  ] as const;
  if (!env.PULSE_OIDC_ISSUER) {
    for (const name of oidcVars) {
      if (env[name] !== undefined)
        ctx.addIssue({ code: 'custom', path: [name], message: 'needs PULSE_OIDC_ISSUER as well' });
    }
    return;
  }
  if (!env.PULSE_OIDC_CLIENT_ID) {
    ctx.addIssue({
      code: 'custom',
      path: ['PULSE_OIDC_CLIENT_ID'],
      message: 'is required when PULSE_OIDC_ISSUER is set (the client id registered at the provider)',
    });
  }
  const issuer = new URL(env.PULSE_OIDC_ISSUER);
  if (issuer.protocol === 'http:' && !isAllowedHost(env.PULSE_ALLOWED_UPSTREAM_HOSTS, issuer)) {
    ctx.addIssue({
      code: 'custom',
      path: ['PULSE_OIDC_ISSUER'],
      message:
        'must be https; plain http is accepted only for a host an admin lists in PULSE_ALLOWED_UPSTREAM_HOSTS',
    });
  } else if (issuer.protocol !== 'https:' && issuer.protocol !== 'http:') {
    ctx.addIssue({ code: 'custom', path: ['PULSE_OIDC_ISSUER'], message: 'must be an https URL' });
  }
});

export type ApiConfig = z.infer<typeof apiEnvSchema>;

export const API_CONFIG = Symbol('API_CONFIG');

/** Whether the session cookie gets the Secure attribute for this request. */
export function secureCookies(config: ApiConfig, requestIsTls: boolean): boolean {
  if (config.PULSE_COOKIE_SECURE !== undefined) return config.PULSE_COOKIE_SECURE;
  if (config.PULSE_PUBLIC_URL?.startsWith('https:')) return true;
  return requestIsTls;
}

export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  return parseEnv(apiEnvSchemaChecked, env);
}
