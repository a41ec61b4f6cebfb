import { WalkHolds } from './walk-holds';

const at = (iso: string) => ({ at: Date.parse(iso), iso });
const T1 = at('2026-11-10T00:00:00Z');
const T2 = at('2026-11-09T00:00:00Z');
const T3 = at('2026-11-08T00:00:00Z');
const T4 = at('2026-11-07T00:00:00Z');

describe('WalkHolds', () => {
  it('holds nothing when nothing was skipped', () => {
    const h = new WalkHolds();
    h.seen(T1);
    h.seen(T2);
    expect(h.skipped).toBe(false);
    expect(h.finalHold()).toBeNull();
    expect(h.checkpointFloor(T2)).toEqual(T2);
  });

  it('keeps the checkpoint above, and the next walk down to, the skipped record', () => {
    const h = new WalkHolds();
    h.seen(T1);
    h.hold(T2);
    h.seen(T3);
    expect(h.skipped).toBe(true);
    // stored down to T3, but T2 is missing: only what is above T2 is done
    expect(h.checkpointFloor(T3)).toEqual(T2);
    // the next walk must read T2 again (and everything above it)
    expect(h.finalHold()).toEqual(T2);
  });

  it('with several skipped records: the checkpoint stays above the highest, the walk reaches the lowest', () => {
    const h = new WalkHolds();
    h.hold(T2);
    h.hold(T4);
    expect(h.checkpointFloor(T4)).toEqual(T2);
    expect(h.finalHold()).toEqual(T4);
  });

  it('places a record of unknown instant between its neighbours', () => {
    const h = new WalkHolds();
    h.seen(T1);
    h.hold(null);
    // before the next record is read, the checkpoint may not pass the one above it
    expect(h.checkpointFloor(T1)).toEqual(T1);
    expect(h.finalHold()).toBe('all');
    h.seen(T3);
    // it sorted above T3: holding at T3 reaches it
    expect(h.finalHold()).toEqual(T3);
    expect(h.checkpointFloor(T3)).toEqual(T1);
  });

  it('an unknown first record allows no checkpoint, and at the end of the list no move at all', () => {
    const h = new WalkHolds();
    h.hold(null);
    expect(h.checkpointFloor(T2)).toBeNull();
    expect(h.finalHold()).toBe('all');
  });
});
