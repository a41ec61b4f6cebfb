import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { SlashCommandService, type SlashReply } from './slash-command.service';

/** Slack wants an answer within 3 s; past this, acknowledge and answer through response_url. */
const ANSWER_WITHIN_MS = 2_500;

/**
 * Slack's slash commands (`/pulse`). Signature, freshness and replays are checked by the
 * slackSignedRequests middleware before this runs; the body is Slack's parsed form.
 */
@ApiTags('slack')
@Controller('api/slack')
export class SlackCommandsController {
  constructor(private readonly commands: SlashCommandService) {}

  @Public()
  @Post('commands')
  @HttpCode(200)
  async command(@Body() body: unknown): Promise<SlashReply> {
    const form = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const answer = this.commands.answer(form).catch((): SlashReply => ({
      response_type: 'ephemeral',
      text: 'Pulse could not answer just now; try again in a minute.',
    }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ANSWER_WITHIN_MS);
    });
    const first = await Promise.race([answer, late]);
    clearTimeout(timer);
    if (first !== 'late') return first;
    void answer.then((reply) => this.commands.followUp(form['response_url'], reply));
    return { response_type: 'ephemeral', text: 'Working on it…' };
  }
}
