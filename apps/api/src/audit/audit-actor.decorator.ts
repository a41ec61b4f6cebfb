import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { UserDto } from '@pulse/contracts';
import { actorOf, type AuditActor as Actor } from './audit.service';

/** The signed-in user (if any) and client IP, for AuditService.record. */
export const AuditActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: UserDto }>();
  return actorOf(req.user, req.ip);
});
