import { jiraSettingsSchema, type JiraSettings } from '../settings';
import type { Connector } from '../framework/connector';
import { testJiraConnection } from './connection-test';
import { jiraPickers } from './pickers';
import { syncJira } from './sync';

export const jiraConnector: Connector<JiraSettings> = {
  kind: 'jira',
  label: 'Jira',
  settingsSchema: jiraSettingsSchema,
  secretLabel: 'API token (Cloud, with the account email) or personal access token (Data Center)',
  fields: [
    {
      name: 'baseUrl',
      label: 'Site URL',
      description: 'https://your-site.atlassian.net or your Data Center URL.',
      kind: 'url',
      required: true,
    },
    {
      name: 'deployment',
      label: 'Deployment',
      description:
        'Auto reads it from the site; Cloud uses email + API token, Data Center a personal access token.',
      kind: 'choice',
      choices: ['auto', 'cloud', 'datacenter'],
      required: false,
    },
    {
      name: 'email',
      label: 'Account email',
      description: 'Jira Cloud only: the email of the account that owns the API token.',
      kind: 'email',
      required: false,
    },
    {
      name: 'projectKeys',
      label: 'Projects',
      description: 'Keys of the projects the vendor works in, e.g. PAY.',
      kind: 'list',
      required: true,
      pickFrom: 'projects',
    },
    {
      name: 'boardIds',
      label: 'Boards',
      description: 'Boards whose sprints feed the scope KPIs.',
      kind: 'number-list',
      required: false,
      pickFrom: 'boards',
    },
    {
      name: 'storyPointsField',
      label: 'Story points field',
      description: 'Found by name ("Story Points", "Story point estimate") unless set.',
      kind: 'text',
      required: false,
      pickFrom: 'fields',
    },
    {
      name: 'bugTypes',
      label: 'Bug issue types',
      description: 'Issue types that are bugs, matched on the name and the untranslated name (e.g. 缺陷).',
      kind: 'list',
      required: false,
      pickFrom: 'issueTypes',
    },
  ],
  test: (settings, secret, options) => testJiraConnection(settings, secret, options),
  sync: (input) => syncJira(input),
  pickers: jiraPickers,
};
