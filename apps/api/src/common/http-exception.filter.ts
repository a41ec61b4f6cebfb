import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import type { ApiErrorBody } from '@pulse/contracts';

/** Every error leaves as an ApiErrorBody; unexpected ones as a bare 500 (details only in logs). */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const body: ApiErrorBody =
        typeof raw === 'object' && raw !== null && 'message' in raw && typeof raw.message === 'string'
          ? {
              statusCode: status,
              error: HttpStatus[status] ?? 'Error',
              ...(raw as Partial<ApiErrorBody>),
              message: raw.message,
            }
          : {
              statusCode: status,
              error: HttpStatus[status] ?? 'Error',
              message: Array.isArray((raw as { message?: unknown }).message)
                ? (raw as { message: string[] }).message.join('; ')
                : exception.message,
            };
      res.status(status).json(body);
      return;
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    res
      .status(500)
      .json({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side' });
  }
}
