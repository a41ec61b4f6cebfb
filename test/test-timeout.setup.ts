// Jest reads `testTimeout` only from the top-level (global) config: inside `projects` it is
// silently ignored and every test, hook included, gets the 5 s default. Each project of
// jest.config.cjs therefore names its budget in `globals.PULSE_TEST_TIMEOUT_MS` and this file
// applies it. Budgets are sized for a loaded 2-core machine; a test still finishes as soon as
// the condition it waits for is met.
const budget = (globalThis as { PULSE_TEST_TIMEOUT_MS?: unknown }).PULSE_TEST_TIMEOUT_MS;
if (typeof budget !== 'number' || !Number.isInteger(budget) || budget <= 0) {
  throw new Error('jest.config.cjs: every project must set globals.PULSE_TEST_TIMEOUT_MS (milliseconds)');
}
jest.setTimeout(budget);
