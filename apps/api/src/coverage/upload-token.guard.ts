import {
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { consumeRateLimit } from '../common/rate-limit';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { RedisClient } from '../queue/redis.provider';
import { ShareLinksService } from '../share/share-links.service';

/** Coverage uploads authenticate with the engagement's upload token, before any body parsing. */
@Injectable()
export class UploadTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: ShareLinksService,
    private readonly redis: RedisClient,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await consumeRateLimit(
      this.redis.redis,
      `${this.config.QUEUE_PREFIX}:upload:${req.ip ?? 'unknown'}`,
      60,
      60,
    );
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const engagementId = token ? await this.tokens.engagementForUploadToken(token) : null;
    if (!engagementId || engagementId !== req.params.id) {
      throw new UnauthorizedException(
        'Send the engagement’s upload token as "Authorization: Bearer <token>"',
      );
    }
    return true;
  }
}
