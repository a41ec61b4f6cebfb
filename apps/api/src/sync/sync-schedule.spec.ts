import { checkSyncSchedule } from './sync-schedule';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const check = (cron: string, zone = 'America/Chicago') => checkSyncSchedule(cron, zone, NOW);

describe('checkSyncSchedule', () => {
  it.each([
    ['*/0 * * * *', /not a valid cron pattern.*cannot repeat at every 0/],
    ['60 * * * *', /not a valid cron pattern.*0-59/],
    ['5-1 * * * *', /not a valid cron pattern.*5-1/],
    ['0 0 31 2 *', /never fires|not a valid cron pattern/],
    ['0 0 31 4,6 *', /never fires/],
    ['not a cron', /not a valid cron pattern/],
    ['', /give a cron pattern/],
  ])('refuses %j, naming syncCron and an example', (cron, message) => {
    const problem = check(cron);
    expect(problem?.field).toBe('syncCron');
    expect(problem?.message).toMatch(message);
    expect(problem?.message).toContain('*/30 * * * *');
  });

  it.each([
    ['* * * * *', /more than|1 minute/],
    ['*/2 * * * *', /2 minute/],
    ['0,4 * * * *', /4 minute/],
    ['58 * * * *', null],
    ['0,58 * * * *', /2 minute/],
    ['59 23 * * *', null],
    ['0,59 0,23 * * *', /1 minute/],
    ['*/10 * * * * *', /more than once a minute/],
  ])('limits %j to one sync every 5 minutes', (cron, message) => {
    const problem = check(cron);
    if (message === null) expect(problem).toBeNull();
    else expect(problem).toMatchObject({ field: 'syncCron', message: expect.stringMatching(message) });
  });

  it.each(['*/5 * * * *', '*/30 * * * *', '0 6 * * 1-5', '0 0 29 2 *', '@hourly', '0 0 L * *'])(
    'accepts %j',
    (cron) => expect(check(cron)).toBeNull(),
  );

  it('refuses a time zone that is not IANA, naming reportingTimeZone', () => {
    expect(check('*/30 * * * *', 'Mars/Olympus')).toMatchObject({
      field: 'reportingTimeZone',
      message: expect.stringMatching(/not an IANA time zone.*America\/Chicago/),
    });
  });
});
