import { type Connector, type OutboundPolicy } from '@pulse/connectors';
import { DEFAULT_ENGAGEMENT_SETTINGS } from '@pulse/contracts';
import { failedOutcome, type Collector, type CollectorContext, type CollectorOutcome } from './collector';

/**
 * Runs any registered connector for one connection: validates its stored settings with the
 * connector's schema and hands it the engagement's rules. Knows nothing of any one source.
 */
export class ConnectorCollector implements Collector {
  readonly kind;

  /**
   * `outbound` is the process's one policy (its agents keep connections alive across syncs):
   * every request of the connector goes through it.
   */
  constructor(
    private readonly connector: Connector<unknown>,
    private readonly outbound: OutboundPolicy,
  ) {
    this.kind = connector.kind;
  }

  async collect(ctx: CollectorContext): Promise<CollectorOutcome> {
    const settings = this.connector.settingsSchema.safeParse(ctx.connection.settings);
    if (!settings.success) {
      return failedOutcome(
        'invalid_config',
        `${this.connector.label} settings are invalid: ${settings.error.issues[0]?.message ?? 'unknown'}`,
      );
    }
    const rules = { ...DEFAULT_ENGAGEMENT_SETTINGS, ...(ctx.engagement.settings ?? {}) };
    const result = await this.connector.sync({
      settings: settings.data,
      secret: ctx.secret,
      outbound: this.outbound,
      cursor: ctx.connection.cursor,
      now: ctx.now,
      rules: { bugTypes: rules.bugTypes, storyPointsField: rules.storyPointsField },
      sink: {
        savePage: (page) => ctx.savePage(page),
        saveCursor: (cursor) => ctx.saveCursor(cursor),
        retainWorkItems: (source, keys) => ctx.retainWorkItems(source, keys),
        markChatDeleted: (scope, present) => ctx.markChatDeleted(scope, present),
      },
      onProgress: (fraction, phase) => ctx.progress(fraction, phase),
    });
    return {
      counts: { ...result.counts },
      apiCalls: result.apiCalls,
      notModified: result.notModified,
      touchedFrom: result.touchedFrom,
      skippedReasons: result.skippedReasons,
      ...(result.notes?.length ? { notes: [...result.notes] } : {}),
      ...(result.error ? { error: { ...result.error } } : {}),
    };
  }
}
