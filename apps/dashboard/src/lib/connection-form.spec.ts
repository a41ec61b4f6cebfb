import type { ConnectorDescriptionDto } from '@pulse/contracts';
import { initialValues, listItems, pickerBlocker, toSettings, withPicked } from './connection-form';

// A form shaped like the API's Jira description (GET /api/connectors).
const jira: ConnectorDescriptionDto = {
  kind: 'jira',
  label: 'Jira',
  secretLabel: 'API token (Cloud, with the account email) or personal access token (Data Center)',
  collected: true,
  fields: [
    { name: 'baseUrl', label: 'Site URL', description: '', kind: 'url', required: true },
    {
      name: 'deployment',
      label: 'Deployment',
      description: '',
      kind: 'choice',
      required: false,
      choices: ['auto'],
    },
    {
      name: 'projectKeys',
      label: 'Projects',
      description: '',
      kind: 'list',
      required: true,
      pickFrom: 'projects',
    },
    {
      name: 'boardIds',
      label: 'Boards',
      description: '',
      kind: 'number-list',
      required: false,
      pickFrom: 'boards',
    },
    {
      name: 'storyPointsField',
      label: 'Story points field',
      description: '',
      kind: 'text',
      required: false,
      pickFrom: 'fields',
    },
    {
      name: 'bugTypes',
      label: 'Bug issue types',
      description: '',
      kind: 'list',
      required: false,
      pickFrom: 'issueTypes',
    },
  ],
};
const field = (name: string) => jira.fields.find((f) => f.name === name)!;
const noToken = { typed: false, saved: false, savedBaseUrl: null };
const typed = { typed: true, saved: false, savedBaseUrl: null };

describe('connection form', () => {
  it('shows stored settings as text and sends them back typed', () => {
    const values = initialValues(jira, {
      baseUrl: 'https://acme.atlassian.net',
      projectKeys: ['PAY', 'WEB'],
      boardIds: [3],
    });
    expect(values).toMatchObject({
      baseUrl: 'https://acme.atlassian.net',
      projectKeys: 'PAY, WEB',
      boardIds: '3',
      bugTypes: '',
    });
    expect(toSettings(jira, { ...values, bugTypes: 'Bug, 缺陷' })).toEqual({
      baseUrl: 'https://acme.atlassian.net',
      projectKeys: ['PAY', 'WEB'],
      boardIds: [3],
      bugTypes: ['Bug', '缺陷'],
    });
  });

  it('leaves out empty optional fields, keeps an empty required list, and a non-number board as text', () => {
    expect(toSettings(jira, { baseUrl: ' https://x.example ', projectKeys: '', boardIds: '12 abc' })).toEqual(
      {
        baseUrl: 'https://x.example',
        projectKeys: [],
        boardIds: [12, 'abc'],
      },
    );
  });

  it('says what to fill in before a picker can ask the site', () => {
    expect(pickerBlocker(jira, field('projectKeys'), { baseUrl: '' }, typed)).toBe(
      'Enter the Site URL first.',
    );
    expect(pickerBlocker(jira, field('projectKeys'), { baseUrl: 'https://x.example' }, noToken)).toBe(
      'Enter the API token first.',
    );
    expect(pickerBlocker(jira, field('projectKeys'), { baseUrl: 'https://x.example' }, typed)).toBeNull();
    expect(
      pickerBlocker(jira, field('boardIds'), { baseUrl: 'https://x.example', projectKeys: ' ' }, typed),
    ).toBe('Choose the projects first.');
    expect(
      pickerBlocker(jira, field('bugTypes'), { baseUrl: 'https://x.example', projectKeys: 'PAY' }, typed),
    ).toBeNull();
    expect(
      pickerBlocker(jira, field('storyPointsField'), { baseUrl: 'https://x.example' }, typed),
    ).toBeNull();
  });

  it('uses the saved token only for the host it was saved for', () => {
    const saved = { typed: false, saved: true, savedBaseUrl: 'https://acme.atlassian.net' };
    expect(
      pickerBlocker(jira, field('projectKeys'), { baseUrl: 'https://acme.atlassian.net/' }, saved),
    ).toBeNull();
    expect(pickerBlocker(jira, field('projectKeys'), { baseUrl: 'https://evil.example' }, saved)).toMatch(
      /token first/,
    );
    expect(pickerBlocker(jira, field('projectKeys'), { baseUrl: 'not a url' }, saved)).toMatch(/token first/);
  });

  it('merges picked values with ones typed by hand that the site did not offer', () => {
    expect(withPicked('PAY, LEGACY', ['WEB'], ['PAY', 'WEB'])).toBe('LEGACY, WEB');
    expect(withPicked('', ['PAY', 'WEB'], ['PAY', 'WEB'])).toBe('PAY, WEB');
    expect(listItems(' PAY,,WEB  OPS ')).toEqual(['PAY', 'WEB', 'OPS']);
  });
});
