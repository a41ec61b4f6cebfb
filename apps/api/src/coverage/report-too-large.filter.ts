import { Catch, PayloadTooLargeException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiErrorBody } from '@pulse/contracts';

/**
 * Largest coverage report accepted. Real summary formats are kilobytes; a Cobertura XML of a
 * very large monorepo stays well under this.
 */
export const MAX_REPORT_BYTES = 10 * 1024 * 1024;

/** Multer's own 413 says only "File too large": say what the limit is and what to do. */
@Catch(PayloadTooLargeException)
export class ReportTooLargeFilter implements ExceptionFilter {
  catch(_exception: PayloadTooLargeException, host: ArgumentsHost): void {
    const body: ApiErrorBody = {
      statusCode: 413,
      error: 'Payload Too Large',
      message: `report: the file is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MB. Upload the coverage summary (Cobertura XML, lcov, coverage.py JSON or istanbul coverage-summary.json), not raw per-test data`,
    };
    const res = host.switchToHttp().getResponse<Response>();
    // The rest of the oversized body is not read: close the connection after answering.
    res.setHeader('Connection', 'close');
    res.status(413).json(body);
  }
}
