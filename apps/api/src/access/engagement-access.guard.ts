import {
  applyDecorators,
  createParamDecorator,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiForbiddenResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import type { EngagementEntity } from '@pulse/db';
import type { EngagementAccessLevel } from '@pulse/contracts';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { uuid } from '../common/schema-parts';
import { ZodPipe } from '../common/zod-validation';
import { EngagementAccessService, type EngagementGrant } from './engagement-access.service';

const ENGAGEMENT_ACCESS = 'pulse:engagementAccess';

interface AccessSpec {
  level: EngagementAccessLevel;
  /** Where the engagement id is: the `:id` path parameter (default) or a query parameter. */
  query?: string;
}

interface EngagementRequest extends AuthenticatedRequest {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  engagementGrant?: EngagementGrant;
}

/**
 * THE membership check for engagement routes. `read`: owner, members (editor or viewer),
 * admins. `edit`: owner, editor members, admins. `manage`: owner and admins. A user whose role
 * is `viewer` only ever holds `read`. Others get 404 (as if the engagement did not exist).
 *
 *   @Put(':id/thresholds')
 *   @EngagementAccess('edit')
 *   putThresholds(@CurrentEngagement() engagement: EngagementEntity, ...)
 *
 * With `{ query: 'engagementId' }` the id comes from that query parameter instead; when it is
 * absent only admins pass (they act on all engagements), and admins may name any id (also of a
 * deleted engagement, whose audit events remain).
 */
export const EngagementAccess = (level: EngagementAccessLevel, options: { query?: string } = {}) =>
  applyDecorators(
    SetMetadata(ENGAGEMENT_ACCESS, { level, ...options } satisfies AccessSpec),
    UseGuards(EngagementAccessGuard),
    ApiNotFoundResponse({
      description: 'No such engagement, or you are not its owner, a member or an admin',
    }),
    ApiForbiddenResponse({ description: `Needs ${level} access on the engagement` }),
  );

/** The engagement the guard resolved (only on routes with @EngagementAccess). */
export const CurrentEngagement = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): EngagementEntity => {
    const grant = ctx.switchToHttp().getRequest<EngagementRequest>().engagementGrant;
    if (!grant) throw new Error('CurrentEngagement used without @EngagementAccess');
    return grant.engagement;
  },
);

/** The caller's grant (relation and levels) on the engagement resolved by the guard. */
export const CurrentGrant = createParamDecorator((_data: unknown, ctx: ExecutionContext): EngagementGrant => {
  const grant = ctx.switchToHttp().getRequest<EngagementRequest>().engagementGrant;
  if (!grant) throw new Error('CurrentGrant used without @EngagementAccess');
  return grant;
});

const idPipe = (field: string) => new ZodPipe(uuid, field);

@Injectable()
export class EngagementAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: EngagementAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.getAllAndOverride<AccessSpec | undefined>(ENGAGEMENT_ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!spec) return true;
    const request = context.switchToHttp().getRequest<EngagementRequest>();
    // The global AuthGuard ran first; a route with @EngagementAccess is never @Public.
    const user = request.user;
    if (!user) throw new Error('@EngagementAccess on a route without a signed-in user');
    let raw: unknown;
    if (spec.query) {
      raw = request.query?.[spec.query];
      if (raw === undefined) {
        if (user.role === 'admin') return true;
        throw new ForbiddenException(
          `Only admins see this across all engagements: add ?${spec.query}=<engagement id>`,
        );
      }
    } else {
      raw = request.params?.id;
    }
    // Checked before the route's own pipes run, so check the id the same way they will.
    const id = idPipe(spec.query ?? 'id').transform(raw) as string;
    // A filter, not a target: admins may filter by an engagement that was deleted since.
    if (spec.query && user.role === 'admin') return true;
    request.engagementGrant = await this.access.require(user, id, spec.level);
    return true;
  }
}
