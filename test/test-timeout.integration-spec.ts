// Integration tests start real servers and processes; on a loaded 2-core machine they need
// minutes, not Jest's 5 s default (which a project-level `testTimeout` silently left in place).
describe('integration time budget', () => {
  it('is the generous budget of jest.config.cjs, applied to every test and hook', () => {
    const applied = (globalThis as Record<symbol, unknown>)[Symbol.for('TEST_TIMEOUT_SYMBOL')];
    expect(applied).toBeGreaterThanOrEqual(120_000);
  });
});
