import type { EpochMs } from '@pulse/contracts';
import {
  classifyNetworkError,
  classifyOutboundRefusal,
  type ConnectorError,
} from '../framework/connector-error';
import { JiraHttpError, JiraNetworkError } from './client';

/** Our own refusal of unusable settings (e.g. Cloud without an account email). */
export class JiraConfigError extends Error {
  override readonly name = 'JiraConfigError';
}

export interface JiraClassifyContext {
  host: string;
  /** What the failing request was about, e.g. "project PAY" or "board 12". */
  subject?: string;
  now?: () => EpochMs;
}

/** Jira's error bodies: `{ errorMessages: [], errors: {} }`, or plain text. */
function upstreamMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body !== 'object' || body === null) return '';
  const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const parts: string[] = [];
  if (Array.isArray(b.errorMessages))
    parts.push(...b.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (b.errors && typeof b.errors === 'object')
    parts.push(
      ...Object.values(b.errors as Record<string, unknown>).filter((m): m is string => typeof m === 'string'),
    );
  if (typeof b.message === 'string') parts.push(b.message);
  return parts.join(' ').slice(0, 300);
}

const iso = (ms: EpochMs) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Maps anything thrown while talking to Jira to a fixed class and a message for a manager. */
export function classifyJiraError(e: unknown, context: JiraClassifyContext): ConnectorError {
  const now = context.now ?? Date.now;
  const about = context.subject ? ` (${context.subject})` : '';
  if (e instanceof JiraConfigError) return { class: 'invalid_config', message: e.message };
  const refused = classifyOutboundRefusal(e);
  if (refused) return refused;
  if (e instanceof JiraNetworkError) {
    return (
      classifyNetworkError(e, context.host) ?? {
        class: 'unreachable',
        message: `cannot reach ${context.host}: ${e.code}.`,
      }
    );
  }
  const network = classifyNetworkError(e, context.host);
  if (network) return network;
  if (!(e instanceof JiraHttpError)) {
    const detail = e instanceof Error ? e.message : String(e);
    return { class: 'temporary', message: `Jira sync failed${about}: ${detail}; it will be retried.` };
  }
  const upstream = upstreamMessage(e.body);
  switch (true) {
    case e.status === 429: {
      const retryAfter = now() + Math.ceil(e.retryAfterSeconds ?? 60) * 1000;
      return {
        class: 'rate_limited',
        message: `Jira rate limit reached${about}; syncing resumes after ${iso(retryAfter)}.`,
        retryAfter,
      };
    }
    case e.status === 401:
      return {
        class: 'auth',
        message:
          'Jira rejected the credentials (401): the API token or personal access token was revoked, expired or mistyped, or the email does not match it. Enter them again in the connection settings.',
      };
    case e.status === 403:
      return {
        class: 'forbidden',
        message: `The Jira account may not see this${about} (403): give it "Browse projects" on the projects and access to the boards.${upstream ? ` Jira said: ${upstream}` : ''}`,
      };
    case e.status === 404:
      return {
        class: 'not_found',
        message: `Jira could not find${about || ' a resource'} (404), or the account cannot see it: check the project keys and board ids.`,
      };
    case e.status === 410:
      return {
        class: 'invalid_config',
        message: `Jira says this API is gone (410)${about}: the site is Jira Cloud; set the deployment to Cloud (or auto).`,
      };
    case e.status === 400:
      return {
        class: 'invalid_config',
        message: `Jira refused the request as invalid${about}: ${upstream || 'Bad Request'}. Check the project keys and fields in the connection settings.`,
      };
    case e.status === 200:
      return {
        class: 'temporary',
        message: `Jira reported a problem${about}: ${upstream || 'unknown'}; it will be retried.`,
      };
    default: {
      if (e.status === 503 && e.retryAfterSeconds !== undefined) {
        const retryAfter = now() + Math.ceil(e.retryAfterSeconds) * 1000;
        return {
          class: 'rate_limited',
          message: `Jira is busy${about} (503); syncing resumes after ${iso(retryAfter)}.`,
          retryAfter,
        };
      }
      return {
        class: 'temporary',
        message: `Jira had a temporary problem${about} (${e.status}); the sync will be retried.`,
      };
    }
  }
}
