import { Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { ZodBody } from '../common/zod-validation';
import { slackEventsBodySchema, type SlackEventsBody } from './slack-event.schema';
import { SlackEventsService } from './slack-events.service';
import type { SlackRequestInfo } from './slack-signed-requests';

/**
 * Slack's Events API Request URL. No session: slackSignedRequests verified the signature,
 * the timestamp window and the replay guard before this runs, and the body schema kept only
 * metadata (no text).
 */
@ApiTags('slack')
@Controller('api/slack')
export class SlackEventsController {
  constructor(private readonly events: SlackEventsService) {}

  @Public()
  @Post('events')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Slack Events API: url_verification, channel message events, channel joins and leaves (signed by Slack)',
    description:
      'Set as the Request URL under Event Subscriptions. Requests must carry a valid X-Slack-Signature for PULSE_SLACK_SIGNING_SECRET within 5 minutes; message text is never read.',
  })
  @ApiOkResponse({ description: '{ challenge } for url_verification, { ok: true } for events' })
  @ApiUnauthorizedResponse({ description: 'Missing, stale, forged or replayed signature' })
  async receive(
    @ZodBody(slackEventsBodySchema) body: SlackEventsBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Record<string, unknown>> {
    if (body.type === 'url_verification') return { challenge: body.challenge ?? '' };
    if (body.type !== 'event_callback' || !body.event) return { ok: true };
    const info = res.locals['slack'] as SlackRequestInfo | undefined;
    const outcome = await this.events.receive(body.event_id, body.event);
    return {
      ok: true,
      engagements: outcome.engagements,
      ...(info?.retryNum ? { retry: info.retryNum } : {}),
    };
  }
}
