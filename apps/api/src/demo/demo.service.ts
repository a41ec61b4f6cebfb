import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EngagementEntity, PersonEntity, UserEntity } from '@pulse/db';
import { toUserDto } from '../auth/session.service';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ConnectionsService } from '../engagements/connections.service';
import { DigestService } from '../digest/digest.service';
import { EngagementsService } from '../engagements/engagements.service';
import { RosterService } from '../engagements/roster.service';
import { ShareLinksService } from '../share/share-links.service';
import { SyncService } from '../sync/sync.service';

/** The part of the sandbox's /_sandbox/manifest the demo needs (apps never import each other). */
interface SandboxManifest {
  credentials: {
    github: { token: string };
    jira: { email: string; apiToken: string; personalAccessToken: string };
    slack: { botToken: string };
  };
  scenarios: Record<
    string,
    {
      engagementName: string;
      calendars: Record<
        'client' | 'vendor',
        { timeZone: string; workdays: number[]; start: string; end: string }
      >;
      github: { baseUrl: string; repos: { fullName: string }[]; productionEnvironment: string };
      jira: {
        protocol: string;
        host: string;
        port: string;
        base: string;
        flavour: 'cloud' | 'datacenter';
        projectKey: string;
        boardId: number;
        bugTypes: string[];
        storyPointsField: string;
      };
      slack: { apiUrl: string; channels: { id: string }[] };
      people: {
        name: string;
        side: 'client' | 'vendor';
        email: string;
        github?: { login: string };
        jira?: { accountId: string };
        slack?: { userId: string };
      }[];
      bots: { source: 'github' | 'jira' | 'slack'; name: string; id: string }[];
    }
  >;
}

/**
 * With PULSE_DEMO_SANDBOX_URL set (as `npm start` does), creates or refreshes the demo
 * engagements "Demo: steady" and "Demo: slipping" connected to the sandbox, then syncs them.
 */
@Injectable()
export class DemoService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Demo');

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly dataSource: DataSource,
    private readonly engagements: EngagementsService,
    private readonly connections: ConnectionsService,
    private readonly roster: RosterService,
    private readonly sync: SyncService,
    private readonly digests: DigestService,
    private readonly shares: ShareLinksService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PULSE_DEMO_SANDBOX_URL) return;
    try {
      const names = await this.seed(this.config.PULSE_DEMO_SANDBOX_URL);
      this.logger.log(`demo engagements ready: ${names.join(', ')}`);
    } catch (e) {
      // The product still starts; the terminal says why the demo is missing.
      this.logger.error(
        `could not set up the demo engagements: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  async seed(sandboxUrl: string): Promise<string[]> {
    const res = await fetch(`${sandboxUrl.replace(/\/$/, '')}/_sandbox/manifest?counts=false`);
    if (!res.ok) throw new Error(`sandbox manifest answered ${res.status}`);
    const manifest = (await res.json()) as SandboxManifest;
    const admin = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ where: { role: 'admin' }, order: { createdAt: 'ASC' } });
    if (!admin) throw new Error('no admin user to own the demo engagements');
    const owner = toUserDto(admin);
    const names: string[] = [];
    for (const scenario of Object.values(manifest.scenarios)) {
      const calendar = (c: { timeZone: string; workdays: number[]; start: string; end: string }) => ({
        timeZone: c.timeZone,
        weekdays: c.workdays,
        start: c.start,
        end: c.end,
      });
      let engagement = await this.dataSource
        .getRepository(EngagementEntity)
        .findOneBy({ name: scenario.engagementName });
      if (!engagement) {
        const created = await this.engagements.create(owner, {
          name: scenario.engagementName,
          vendorName: scenario.engagementName.includes('slipping')
            ? 'Slipping Co (vendor)'
            : 'Steady Co (vendor)',
          clientCalendar: calendar(scenario.calendars.client),
          vendorCalendar: calendar(scenario.calendars.vendor),
          settings: {
            bugTypes: scenario.jira.bugTypes,
            storyPointsField: scenario.jira.storyPointsField,
            productionEnvironments: [scenario.github.productionEnvironment],
          },
        });
        engagement = await this.engagements.getById(created.id);
      }
      // Also when an earlier start stopped between creating the engagement and its roster.
      if (
        (await this.dataSource.getRepository(PersonEntity).countBy({ engagementId: engagement.id })) === 0
      ) {
        const people = scenario.people.map((p) => ({
          displayName: p.name,
          email: p.email,
          side: p.side,
          identities: {
            github: p.github ? [p.github.login] : [],
            jira: p.jira ? [p.jira.accountId] : [],
            slack: p.slack ? [p.slack.userId] : [],
          },
        }));
        const bots = scenario.bots.map((b) => ({
          displayName: b.name,
          side: 'vendor' as const,
          isBot: true,
          identities: {
            github: b.source === 'github' ? [b.name] : [],
            jira: b.source === 'jira' ? [b.id] : [],
            slack: b.source === 'slack' ? [b.id] : [],
          },
        }));
        await this.roster.putPeople(engagement.id, [...people, ...bots]);
      }
      // Connections are refreshed on every start: the sandbox may be on another port.
      const { credentials } = manifest;
      await this.connections.put(engagement.id, 'github', {
        settings: {
          baseUrl: scenario.github.baseUrl,
          repos: scenario.github.repos.map((r) => r.fullName),
          coverageArtifactPattern: 'coverage*',
        },
        // One token per engagement, as two real teams would have: each gets its own quota.
        secret: `${credentials.github.token}_${scenario.engagementName.replace(/\W+/g, '_').toLowerCase()}`,
      });
      // The sandbox serves one scenario as Jira Cloud (email + API token) and the other as
      // Data Center (personal access token), so the demo runs both through the collector.
      const cloud = scenario.jira.flavour === 'cloud';
      await this.connections.put(engagement.id, 'jira', {
        settings: {
          baseUrl: `${scenario.jira.protocol}://${scenario.jira.host}:${scenario.jira.port}/${scenario.jira.base}`,
          deployment: cloud ? 'cloud' : 'datacenter',
          ...(cloud ? { email: credentials.jira.email } : {}),
          projectKeys: [scenario.jira.projectKey],
          boardIds: [scenario.jira.boardId],
        },
        secret: cloud ? credentials.jira.apiToken : credentials.jira.personalAccessToken,
      });
      await this.connections.put(engagement.id, 'slack', {
        settings: { baseUrl: scenario.slack.apiUrl, channelIds: scenario.slack.channels.map((c) => c.id) },
        secret: credentials.slack.botToken,
      });
      await this.digestChannels(engagement, scenario.slack.channels, owner.id);
      await this.sync.enqueue(engagement.id, 'demo');
      names.push(engagement.name);
    }
    return names;
  }

  /**
   * The weekly digest of a demo engagement: the client audience in its general channel, the
   * vendor audience in its delivery channel with a share link of the delivery and quality
   * families (created once; kept while valid).
   */
  private async digestChannels(engagement: EngagementEntity, channels: { id: string }[], ownerId: string) {
    const [delivery, general] = [
      channels.find((c) => /DLV$/.test(c.id)),
      channels.find((c) => /GEN$/.test(c.id)),
    ];
    if (!delivery || !general) return;
    const current = await this.digests.settings(engagement);
    const link = current.vendorShareLinkValid
      ? undefined
      : (await this.shares.create(engagement.id, ownerId, { families: ['delivery', 'quality'] })).token;
    await this.digests.putSettings(engagement, {
      clientChannelId: general.id,
      vendorChannelId: delivery.id,
      ...(link ? { vendorShareLink: link } : {}),
    });
  }
}
