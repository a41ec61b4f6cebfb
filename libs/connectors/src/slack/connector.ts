import { slackSettingsSchema, type SlackSettings } from '../settings';
import type { Connector } from '../framework/connector';
import { testSlackConnection } from './connection-test';
import { syncSlack } from './sync';

export const slackConnector: Connector<SlackSettings> = {
  kind: 'slack',
  label: 'Slack',
  settingsSchema: slackSettingsSchema,
  secretLabel: 'Bot User OAuth Token (xoxb-…)',
  fields: [
    {
      name: 'baseUrl',
      label: 'Web API URL',
      description: 'https://slack.com/api unless you use a proxy or the sandbox.',
      kind: 'url',
      required: false,
    },
    {
      name: 'channelIds',
      label: 'Channels',
      description: 'Ids of the client ↔ vendor channels (C0123ABCD); invite @Pulse to each.',
      kind: 'list',
      required: true,
    },
    {
      name: 'digestChannelId',
      label: 'Digest channel',
      description: 'Where the weekly digest is posted (optional).',
      kind: 'text',
      required: false,
    },
    {
      name: 'appClass',
      label: 'App class',
      description:
        'internal: an app created for your own workspace (Tier 3 limits). non_marketplace_2025: a distributed non-Marketplace app created after 2025-05-29 (1 history request a minute, 15 messages a page; syncs spread over several runs).',
      kind: 'choice',
      choices: ['internal', 'non_marketplace_2025'],
      required: false,
    },
  ],
  test: (settings, secret, options) => testSlackConnection(settings, secret, options),
  sync: (input) => syncSlack(input),
};
