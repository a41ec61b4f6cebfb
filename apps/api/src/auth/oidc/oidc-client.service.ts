import { Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { createOutboundPolicy, findOutboundRefusal } from '@pulse/connectors';
import { API_CONFIG, type ApiConfig } from '../../config/api-config';

/** What the login step must remember until the provider sends the browser back. */
export interface PendingSsoLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
}

/** Thrown when the provider cannot be reached or refuses us; the page says "SSO unavailable". */
export class SsoUnavailableError extends Error {}

// Requests to the provider are few and interactive: a person waits on each.
const PROVIDER_TIMEOUT_SECONDS = 15;

/**
 * The OpenID Connect relying party: discovery, the authorization URL (code flow with PKCE,
 * state and nonce) and the code exchange. Every request to the provider goes through the
 * outbound policy, so an issuer (or an endpoint its discovery document names) on a private
 * or loopback address is reached only when an admin allowed that host.
 */
@Injectable()
export class OidcClientService {
  private readonly logger = new Logger('Oidc');
  private readonly outbound;
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(@Inject(API_CONFIG) private readonly config: ApiConfig) {
    this.outbound = createOutboundPolicy({ allowedHosts: config.PULSE_ALLOWED_UPSTREAM_HOSTS });
  }

  get enabled(): boolean {
    return !!this.config.PULSE_OIDC_ISSUER && !!this.config.PULSE_OIDC_CLIENT_ID;
  }

  private async configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      this.discovered = this.discover().catch((e: unknown) => {
        // not cached: the next sign-in tries again (the provider may be back)
        this.discovered = null;
        throw e;
      });
    }
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const issuer = new URL(this.config.PULSE_OIDC_ISSUER!);
    const secret = this.config.PULSE_OIDC_CLIENT_SECRET;
    const guardedFetch = this.outbound.fetch;
    const options: oidc.DiscoveryRequestOptions = {
      [oidc.customFetch]: (url, init) => guardedFetch(url, init as RequestInit),
      timeout: PROVIDER_TIMEOUT_SECONDS,
      // Plain http passed configuration only for a host the admin listed explicitly.
      ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
    };
    try {
      await this.outbound.check(issuer.href);
      return await oidc.discovery(
        issuer,
        this.config.PULSE_OIDC_CLIENT_ID!,
        secret === undefined ? undefined : { client_secret: secret },
        secret === undefined ? oidc.None() : oidc.ClientSecretBasic(secret),
        options,
      );
    } catch (e) {
      const refusal = findOutboundRefusal(e);
      const why = refusal ? refusal.message : e instanceof Error ? e.message : String(e);
      this.logger.warn(`OpenID provider discovery failed: ${why}`);
      throw new SsoUnavailableError(why);
    }
  }

  /** Starts a sign-in: the provider URL to send the browser to, and what to remember. */
  async start(redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSsoLogin }> {
    const config = await this.configuration();
    const pending: PendingSsoLogin = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      redirectUri,
      returnTo,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /**
   * Exchanges the code the provider returned (checking state, nonce, PKCE, issuer, audience
   * and signature) and returns the person's claims, from the ID token or, when the provider
   * keeps e-mail out of it, from the userinfo endpoint.
   */
  async finish(callbackUrl: URL, pending: PendingSsoLogin): Promise<Record<string, unknown>> {
    const config = await this.configuration();
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the provider returned no ID token');
    if (typeof claims.email === 'string' && claims.email_verified !== undefined) return { ...claims };
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    return {
      ...claims,
      email: info.email,
      email_verified: info.email_verified,
      name: info.name ?? claims.name,
    };
  }
}
