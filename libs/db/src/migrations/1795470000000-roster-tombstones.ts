import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { ms } from './schema-helpers';

// Issue 10 point 9 "people who left the roster are counted once": removing someone from the
// roster keeps the row with the time they left, so their history stays theirs and
// continuity.contributor_departures can count the departure. Never edit once committed.
export class RosterTombstones1795470000000 implements MigrationInterface {
  name = 'RosterTombstones1795470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('people', new TableColumn(ms('left_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('people', 'left_at');
  }
}
