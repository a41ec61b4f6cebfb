import { JiraHttpError, JiraNetworkError } from './client';
import { classifyJiraError, JiraConfigError } from './errors';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ctx = { host: 'acme.atlassian.net', now: () => NOW };
const http = (status: number, body: unknown = {}, retryAfter?: number) =>
  new JiraHttpError(status, body, retryAfter, '/rest/api/3/search/jql');

describe('classifyJiraError', () => {
  it('keeps each class apart by status', () => {
    expect(classifyJiraError(http(401), ctx).class).toBe('auth');
    expect(
      classifyJiraError(http(403, { errorMessages: ['No browse permission'] }), {
        ...ctx,
        subject: 'project PAY',
      }),
    ).toEqual({
      class: 'forbidden',
      message: expect.stringMatching(
        /^The Jira account may not see this \(project PAY\) \(403\).*No browse permission/,
      ),
    });
    expect(classifyJiraError(http(404), { ...ctx, subject: 'board 7' }).message).toContain('board 7');
    expect(
      classifyJiraError(http(400, { errorMessages: ["The value 'X' does not exist"] }), ctx),
    ).toMatchObject({
      class: 'invalid_config',
      message: expect.stringContaining("The value 'X' does not exist"),
    });
    expect(classifyJiraError(http(410), ctx).class).toBe('invalid_config');
    expect(classifyJiraError(http(500), ctx)).toEqual({
      class: 'temporary',
      message: 'Jira had a temporary problem (500); the sync will be retried.',
    });
    expect(classifyJiraError(new JiraConfigError('add the email'), ctx)).toEqual({
      class: 'invalid_config',
      message: 'add the email',
    });
  });

  it('turns Retry-After into an instant for 429 and busy 503', () => {
    expect(classifyJiraError(http(429, {}, 30), ctx)).toMatchObject({
      class: 'rate_limited',
      retryAfter: NOW + 30_000,
    });
    expect(classifyJiraError(http(503, {}, 5), ctx)).toMatchObject({
      class: 'rate_limited',
      retryAfter: NOW + 5_000,
    });
    expect(classifyJiraError(http(429), ctx).retryAfter).toBe(NOW + 60_000);
  });

  it('names the host of a DNS or connection failure', () => {
    expect(
      classifyJiraError(new JiraNetworkError('ENOTFOUND', '/rest/api/2/serverInfo'), {
        host: 'jira.example.com',
      }),
    ).toEqual({
      class: 'unreachable',
      message: expect.stringMatching(/^cannot reach jira\.example\.com: host not found/),
    });
  });
});
