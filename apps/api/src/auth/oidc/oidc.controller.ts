import { Controller, Get, Inject, Logger, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { API_CONFIG, secureCookies, type ApiConfig } from '../../config/api-config';
import { consumeRateLimit } from '../../common/rate-limit';
import { ZodQuery } from '../../common/zod-validation';
import { RedisClient } from '../../queue/redis.provider';
import { Public } from '../auth.decorators';
import { setSessionCookie } from '../session-cookie';
import { OidcClientService, SsoUnavailableError } from './oidc-client.service';
import { PENDING_SSO_TTL_SECONDS, PendingSsoLoginStore } from './pending-sso-login.store';
import { SsoSignInService } from './sso-sign-in.service';
import { safeReturnPath, type SsoFailure, type SsoRefusal } from './sso-sign-in.policy';

export const PENDING_SSO_COOKIE = 'pulse_oidc';
const COOKIE_PATH = '/api/auth/oidc';
const SSO_STARTS_PER_MINUTE = 30;

export interface AuthMethodsDto {
  password: boolean;
  sso: boolean;
}

const param = (max: number) => z.string().max(max).optional();

/**
 * Sign-in with the organisation's OpenID provider. Both routes are browser navigations, so
 * they answer with redirects: to the provider, back into the dashboard, or to the sign-in
 * page with `?sso_error=<reason>` that the page explains.
 */
@ApiTags('auth')
@Controller('api/auth')
export class OidcController {
  private readonly logger = new Logger('Oidc');

  constructor(
    private readonly client: OidcClientService,
    private readonly pending: PendingSsoLoginStore,
    private readonly signIn: SsoSignInService,
    private readonly redis: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Public()
  @Get('methods')
  @ApiOkResponse({ description: 'Which ways of signing in this Pulse offers ({ password, sso })' })
  methods(): AuthMethodsDto {
    return { password: true, sso: this.client.enabled };
  }

  @Public()
  @Get('oidc/login')
  @ApiResponse({
    status: 302,
    description: 'Redirects to the OpenID provider (or back to /login with sso_error)',
  })
  @ApiResponse({ status: 404, description: 'Single sign-on is not configured' })
  async login(
    @ZodQuery('next', param(2000), 'Dashboard path to open after signing in') next: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.requireEnabled();
    // Each start stores a small record in Redis for ten minutes: bound it per client.
    await consumeRateLimit(
      this.redis.redis,
      `${this.config.QUEUE_PREFIX}:oidc-start:${req.ip ?? 'unknown'}`,
      SSO_STARTS_PER_MINUTE,
      60,
    );
    let started;
    try {
      started = await this.client.start(this.redirectUri(req), safeReturnPath(next));
    } catch (e) {
      if (!(e instanceof SsoUnavailableError)) this.logger.warn(`SSO start failed: ${String(e)}`);
      return this.backToLogin(res, 'unavailable');
    }
    const handle = await this.pending.save(started.pending);
    res.cookie(PENDING_SSO_COOKIE, handle, {
      httpOnly: true,
      // lax: the provider sends the browser back with a top-level GET, which carries it
      sameSite: 'lax',
      secure: secureCookies(this.config, req.secure),
      path: COOKIE_PATH,
      maxAge: PENDING_SSO_TTL_SECONDS * 1000,
    });
    res.redirect(302, started.url.href);
  }

  @Public()
  @Get('oidc/callback')
  @ApiResponse({
    status: 302,
    description: 'Signed in (session cookie set) or sent back to /login with sso_error',
  })
  async callback(
    @ZodQuery('code', param(4096)) _code: string | undefined,
    @ZodQuery('state', param(1024)) _state: string | undefined,
    @ZodQuery('error', param(200)) error: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.requireEnabled();
    const cookies = req.cookies as Record<string, string> | undefined;
    const pending = await this.pending.take(cookies?.[PENDING_SSO_COOKIE]);
    res.clearCookie(PENDING_SSO_COOKIE, { path: COOKIE_PATH });
    if (!pending) return this.backToLogin(res, 'expired');
    // The person cancelled or the provider refused: nothing to exchange.
    if (error) return this.backToLogin(res, 'provider_error');
    const callbackUrl = new URL(pending.redirectUri);
    callbackUrl.search = new URL(req.originalUrl, callbackUrl).search;
    const outcome = await this.signIn.complete(callbackUrl, pending, req.ip ?? 'unknown');
    if (!outcome.ok) return this.backToLogin(res, outcome.reason);
    setSessionCookie(res, req, this.config, outcome.session);
    res.redirect(302, pending.returnTo);
  }

  private requireEnabled(): void {
    if (!this.client.enabled) {
      throw new NotFoundException('Single sign-on is not configured: sign in with e-mail and password');
    }
  }

  /** Where the provider sends the browser back; registered at the provider as the redirect URI. */
  private redirectUri(req: Request): string {
    const origin = this.config.PULSE_PUBLIC_URL ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return new URL('/api/auth/oidc/callback', origin).href;
  }

  private backToLogin(res: Response, reason: SsoRefusal | SsoFailure): void {
    res.redirect(302, `/login?sso_error=${reason}`);
  }
}
