import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role, UserDto } from '@pulse/contracts';

export const IS_PUBLIC = 'pulse:isPublic';
export const ROLES = 'pulse:roles';

/** Opt a route out of the global session guard (deny by default). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restrict a route to some roles (admins pass everywhere). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export interface AuthenticatedRequest {
  user?: UserDto;
  cookies?: Record<string, string>;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): UserDto => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
