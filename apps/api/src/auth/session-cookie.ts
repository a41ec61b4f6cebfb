import type { Request, Response } from 'express';
import { secureCookies, type ApiConfig } from '../config/api-config';
import { SESSION_COOKIE } from './session.service';

/** Hands the browser its session: HTTP-only, SameSite=Lax, Secure when served over TLS. */
export function setSessionCookie(
  res: Response,
  req: Request,
  config: ApiConfig,
  session: { token: string; expiresAt: number },
): void {
  res.cookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies(config, req.secure),
    path: '/',
    expires: new Date(session.expiresAt),
  });
}
