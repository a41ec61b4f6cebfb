import { loggableUrl } from './log-redaction';

describe('loggableUrl', () => {
  const token = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';

  it('redacts the share-link token of the dashboard and the API, and drops the query', () => {
    expect(loggableUrl(`/share/${token}`)).toBe('/share/[redacted]');
    expect(loggableUrl(`/api/share/${token}?from=2026-01-01`)).toBe('/api/share/[redacted]');
    expect(loggableUrl(`/api/share/${token}/pull-requests`)).toBe('/api/share/[redacted]/pull-requests');
    expect(loggableUrl(`/API/Share/${token}`)).toBe('/API/Share/[redacted]');
    expect(loggableUrl(`/api/engagements/x/share-links`)).toBe('/api/engagements/x/share-links');
  });

  it('redacts invitation and reset-link tokens of the dashboard and the API', () => {
    expect(loggableUrl(`/invitations/${token}`)).toBe('/invitations/[redacted]');
    expect(loggableUrl(`/api/invitations/${token}`)).toBe('/api/invitations/[redacted]');
    expect(loggableUrl('/api/invitations')).toBe('/api/invitations');
  });

  it('leaves other paths alone', () => {
    expect(loggableUrl('/api/engagements?x=1')).toBe('/api/engagements');
  });
});
