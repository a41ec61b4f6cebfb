import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@pulse/contracts';
import { IS_PUBLIC, ROLES, type AuthenticatedRequest } from './auth.decorators';
import { SESSION_COOKIE, SessionService } from './session.service';

/** Global guard: every route needs a valid session unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const user = await this.sessions.resolve(request.cookies?.[SESSION_COOKIE]);
    if (!user) throw new UnauthorizedException('Sign in first: no valid session');
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && user.role !== 'admin' && !roles.includes(user.role)) {
      throw new ForbiddenException(`This needs the ${roles.join(' or ')} role`);
    }
    return true;
  }
}
