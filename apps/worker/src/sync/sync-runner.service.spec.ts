import { MAX_STATUS_NOTE_LENGTH, runStatus, statusNoteOf } from './sync-runner.service';

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

describe('statusNoteOf', () => {
  it('is null when the sync noted nothing, so a later sync clears an old note', () => {
    expect(statusNoteOf(undefined)).toBeNull();
    expect(statusNoteOf([])).toBeNull();
    expect(statusNoteOf(['  ', ''])).toBeNull();
  });
  it('joins the notes one a line', () => {
    expect(statusNoteOf(['read over REST: GitHub answered HTTP 404', ' paced: 1 request a minute '])).toBe(
      'read over REST: GitHub answered HTTP 404\npaced: 1 request a minute',
    );
  });
  it('bounds a long note, marking the cut', () => {
    const note = statusNoteOf(['x'.repeat(MAX_STATUS_NOTE_LENGTH * 3)])!;
    expect(note).toHaveLength(MAX_STATUS_NOTE_LENGTH);
    expect(note.endsWith('…')).toBe(true);
    expect(statusNoteOf(['y'.repeat(MAX_STATUS_NOTE_LENGTH)])).toBe('y'.repeat(MAX_STATUS_NOTE_LENGTH));
  });
});
