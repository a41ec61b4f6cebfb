import { Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { UserDto } from '@pulse/contracts';
import { API_CONFIG, secureCookies, type ApiConfig } from '../config/api-config';
import { CurrentUser, Public } from './auth.decorators';
import { ZodBody } from '../common/zod-validation';
import { loginSchema, type LoginDto } from './auth.dto';
import { AuthService } from './auth.service';
import { LoginRateLimiter } from './login-rate-limiter';
import { SESSION_COOKIE, SessionService } from './session.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly limiter: LoginRateLimiter,
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
    await this.limiter.assertAllowed(ip, body.email);
    const user = await this.auth.verifyCredentials(body.email, body.password).catch(async (e: unknown) => {
      await this.limiter.recordFailure(ip, body.email);
      throw e;
    });
    const session = await this.sessions.create(user.id);
    res.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies(this.config, req.secure),
      path: '/',
      expires: new Date(session.expiresAt),
    });
    return user;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.destroy((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE]);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  me(@CurrentUser() user: UserDto): UserDto {
    return user;
  }
}
