import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from '../../../../test/databases';

describe.each(DATABASE_KINDS)('read-path indexes on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(() => db.close());

  it("indexes kpi_values by engagement and computation (the kept answers' version check)", async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      const table = await runner.getTable('kpi_values');
      const index = table?.indices.find((i) => i.name === 'ix_kpi_values_computed');
      expect(index?.columnNames).toEqual(['engagement_id', 'computed_at']);
    } finally {
      await runner.release();
    }
  });

  it("indexes reviews by engagement and submission time (the pull-request drill-down's range)", async () => {
    const runner = db.dataSource.createQueryRunner();
    try {
      const table = await runner.getTable('reviews');
      const index = table?.indices.find((i) => i.name === 'ix_reviews_submitted');
      expect(index?.columnNames).toEqual(['engagement_id', 'submitted_at']);
    } finally {
      await runner.release();
    }
  });
});

describe('read-path indexes in use on sqlite', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(() => db.close());

  // On PostgreSQL the planner rightly prefers a scan of a near-empty table, so only the
  // index's presence is checked there (above).
  it('serves the drill-down query from ix_reviews_submitted', async () => {
    const plan: { detail: string }[] = await db.dataSource.query(
      'EXPLAIN QUERY PLAN SELECT * FROM reviews WHERE engagement_id = ? AND submitted_at >= ?',
      ['e', 0],
    );
    expect(plan.map((p) => p.detail).join('\n')).toContain('ix_reviews_submitted');
  });

  it('finds the newest value computation from ix_kpi_values_computed', async () => {
    const plan: { detail: string }[] = await db.dataSource.query(
      'EXPLAIN QUERY PLAN SELECT MAX(computed_at) FROM kpi_values WHERE engagement_id = ?',
      ['e'],
    );
    expect(plan.map((p) => p.detail).join('\n')).toContain('ix_kpi_values_computed');
  });
});
