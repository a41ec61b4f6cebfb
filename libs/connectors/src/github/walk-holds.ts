// Where a newest-first walk may move its cursor when some records were skipped as
// malformed. A skipped record that cannot be fetched again by key holds the walk: the
// checkpoint of an interrupted walk stays above it and the next walk reaches down to it.
import { type EpochMs } from '@pulse/contracts';

export interface WalkInstant {
  at: EpochMs;
  /** As GitHub sent it, to store in the cursor. */
  iso: string;
}

export class WalkHolds {
  /** Some record of this walk was skipped (held or remembered for a retry by key). */
  skipped = false;
  private lowest: WalkInstant | null = null;
  private highest: WalkInstant | null = null;
  private lastSeen: WalkInstant | null = null;
  /** A skipped record whose instant is unknown, waiting for the next known one below it. */
  private unplaced = false;
  /** A skipped record of unknown instant came before any known one: no checkpoint is safe. */
  private noCheckpoint = false;

  /** A record the walk read (in list order, newest first), skipped or not. */
  seen(instant: WalkInstant): void {
    this.lastSeen = instant;
    if (this.unplaced) {
      // the record sorted above this one: holding here reaches it
      this.unplaced = false;
      this.lower(instant);
    }
  }

  /** Holds the walk at a skipped record (its instant, or null when that is unreadable). */
  hold(instant: WalkInstant | null): void {
    this.skipped = true;
    if (instant) {
      this.lower(instant);
      this.raise(instant);
      return;
    }
    this.unplaced = true;
    // it sorted below the last record read: a checkpoint may not pass that one
    if (this.lastSeen) this.raise(this.lastSeen);
    else this.noCheckpoint = true;
  }

  /**
   * How far down an interrupted walk may be marked done, given the lowest record stored so
   * far; null when no checkpoint is safe. Records above the returned instant are done.
   */
  checkpointFloor(lowestStored: WalkInstant): WalkInstant | null {
    if (this.noCheckpoint) return null;
    return this.highest && this.highest.at > lowestStored.at ? this.highest : lowestStored;
  }

  /**
   * Where the finished walk must leave its high-water mark: the lowest held instant (the next
   * walk re-reads everything from there up), 'all' when a held record's position is unknown
   * (the mark must not move), or null when nothing is held.
   */
  finalHold(): WalkInstant | 'all' | null {
    if (this.unplaced) return 'all';
    return this.lowest;
  }

  private lower(instant: WalkInstant): void {
    if (!this.lowest || instant.at < this.lowest.at) this.lowest = instant;
  }

  private raise(instant: WalkInstant): void {
    if (!this.highest || instant.at > this.highest.at) this.highest = instant;
  }
}
