import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { UserDto } from '@pulse/contracts';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService, type AuditActor as Actor } from '../audit/audit.service';
import { CurrentUser, Public } from './auth.decorators';
import { ZodBody } from '../common/zod-validation';
import { changePasswordSchema, type ChangePasswordBody } from '../users/users.dto';
import { loginSchema, type LoginDto } from './auth.dto';
import { setSessionCookie } from './session-cookie';
import { AuthService, assertNewPassword } from './auth.service';
import { LoginRateLimiter, LoginThrottledException } from './login-rate-limiter';
import { SESSION_COOKIE, SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
    private readonly audit: AuditService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Signed in; sets the HTTP-only session cookie' })
  async login(
    @ZodBody(loginSchema) body: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<UserDto> {
    const ip = req.ip ?? 'unknown';
    let attempt;
    try {
      attempt = await this.limiter.reserve(ip, body.email);
    } catch (e) {
      if (e instanceof LoginThrottledException) res.setHeader('Retry-After', String(e.retryAfterSeconds));
      throw e;
    }
    // A failed check stays counted: the attempt was reserved before the password was verified.
    let user: UserDto;
    try {
      user = await this.auth.verifyCredentials(body.email, body.password);
    } catch (e) {
      await this.audit.record(
        { id: null, email: body.email.toLowerCase(), ip },
        { action: 'auth.sign_in_failed', summary: { method: 'password' } },
      );
      throw e;
    }
    await attempt.succeeded();
    setSessionCookie(res, req, this.config, await this.sessions.create(user.id));
    await this.audit.record(
      { id: user.id, email: user.email, ip },
      { action: 'auth.sign_in', target: { type: 'user', id: user.id }, summary: { method: 'password' } },
    );
    return user;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.destroy((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  /** Changes one's own password; every other session of the account ends. */
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; other sessions signed out' })
  async changePassword(
    @CurrentUser() user: UserDto,
    @ZodBody(changePasswordSchema) body: ChangePasswordBody,
    @Req() req: Request,
    @AuditActor() actor: Actor,
  ): Promise<void> {
    assertNewPassword(body.newPassword, user.email, body.currentPassword);
    const ip = req.ip ?? 'unknown';
    // Same limiter as sign-in: a stolen session must not become a password-guessing oracle.
    const attempt = await this.limiter.reserve(ip, user.email);
    await this.auth.changePassword(user, body.currentPassword, body.newPassword);
    await attempt.succeeded();
    await this.sessions.endAllFor(
      user.id,
      (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE],
    );
    await this.audit.record(actor, {
      action: 'auth.password_changed',
      target: { type: 'user', id: user.id },
      summary: { otherSessionsEnded: true },
    });
  }

  @Get('me')
  me(@CurrentUser() user: UserDto): UserDto {
    return user;
  }
}
