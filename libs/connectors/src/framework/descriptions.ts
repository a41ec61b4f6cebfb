// What the settings form renders for each connection kind, from the registry: the form has
// no field list of its own, so a newly registered connector appears without touching it.
import { CONNECTION_KINDS, type ConnectionKind, type ConnectorDescriptionDto } from '@pulse/contracts';
import type { Connector } from './connector';
import { connectorFor } from './registry';

/**
 * Forms of kinds whose settings can be saved before they are collected (no connector yet).
 * A registered connector of the same kind replaces its entry.
 */
const UNCOLLECTED_FORMS: Partial<Record<ConnectionKind, Omit<ConnectorDescriptionDto, 'collected'>>> = {
  slack: {
    kind: 'slack',
    label: 'Slack',
    secretLabel: 'Bot token (xoxb-…, with channels:history and groups:history)',
    fields: [
      {
        name: 'baseUrl',
        label: 'API URL',
        description: 'https://slack.com/api unless you run a proxy.',
        kind: 'url',
        required: false,
      },
      {
        name: 'channelIds',
        label: 'Channels',
        description: 'Ids of the shared channels, e.g. C0123ABCD (channel details → bottom).',
        kind: 'list',
        required: true,
      },
      {
        name: 'digestChannelId',
        label: 'Digest channel',
        description: 'Optional: the channel id the weekly digest is posted to.',
        kind: 'text',
        required: false,
      },
    ],
  },
};

export function describeConnector(connector: Connector<unknown>): ConnectorDescriptionDto {
  return {
    kind: connector.kind,
    label: connector.label,
    secretLabel: connector.secretLabel,
    collected: true,
    fields: connector.fields.map((f) => ({
      name: f.name,
      label: f.label,
      description: f.description,
      kind: f.kind,
      required: f.required,
      ...(f.choices ? { choices: [...f.choices] } : {}),
      // a picker the connector does not implement is not offered
      ...(f.pickFrom && connector.pickers?.[f.pickFrom] ? { pickFrom: f.pickFrom } : {}),
    })),
  };
}

/** Every connection kind's form, in the order of CONNECTION_KINDS. */
export function describeConnectionKinds(): ConnectorDescriptionDto[] {
  return CONNECTION_KINDS.flatMap((kind) => {
    const connector = connectorFor(kind);
    if (connector) return [describeConnector(connector)];
    const form = UNCOLLECTED_FORMS[kind];
    return form ? [{ ...form, collected: false }] : [];
  });
}
