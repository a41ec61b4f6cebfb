// Entry point of the worker thread that parses one coverage report (see parse-in-worker.ts):
// parsing a large or hostile report must never hold the API's event loop.
import { parentPort } from 'node:worker_threads';
import { parseCoverageReport } from './coverage-report.parser';
import { isCoverageParseError } from './errors';
import type { WorkerReply, WorkerRequest } from './parse-in-worker';

parentPort?.once('message', (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = {
      ok: true,
      totals: parseCoverageReport(request.content, {
        filename: request.filename,
        maxBytes: request.maxBytes,
      }),
    };
  } catch (error) {
    reply = isCoverageParseError(error)
      ? { ok: false, format: error.format, code: error.code, detail: error.detail }
      : { ok: false, format: 'unknown', code: 'malformed', detail: 'could not be parsed' };
  }
  parentPort!.postMessage(reply);
});
