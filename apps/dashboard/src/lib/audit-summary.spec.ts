import { auditSummaryText } from './audit-summary';

describe('auditSummaryText', () => {
  it('writes changes as old → new and other facts as key: value', () => {
    expect(auditSummaryText({ role: { from: 'manager', to: 'admin' }, method: 'sso' })).toBe(
      'role: manager → admin; method: sso',
    );
    expect(auditSummaryText({ families: ['delivery', 'quality'], warn: { from: null, to: 4 } })).toBe(
      'families: delivery, quality; warn: — → 4',
    );
    expect(auditSummaryText({})).toBe('');
  });
});
