import { runStatus } from './sync-runner.service';

describe('runStatus', () => {
  it('reports a run where every source was skipped as skipped, not partial', () => {
    expect(runStatus({ attempted: 0, failed: 0, skipped: 2, problems: 2 })).toBe('skipped');
  });
  it('is partial when some data arrived and something went wrong', () => {
    expect(runStatus({ attempted: 1, failed: 0, skipped: 1, problems: 1 })).toBe('partial');
    expect(runStatus({ attempted: 2, failed: 1, skipped: 0, problems: 1 })).toBe('partial');
  });
  it('is failed when every attempted source failed, succeeded when all went well', () => {
    expect(runStatus({ attempted: 2, failed: 2, skipped: 0, problems: 2 })).toBe('failed');
    expect(runStatus({ attempted: 1, failed: 0, skipped: 0, problems: 0 })).toBe('succeeded');
    expect(runStatus({ attempted: 0, failed: 0, skipped: 0, problems: 0 })).toBe('succeeded');
  });
});
