// The whole simulated world: both scenarios, each with its repos, Jira project and channels.
import { type RepoWorld, buildRepoWorld } from '../github/github.generator';
import { type JiraWorld, buildJiraWorld } from '../jira/jira.generator';
import { type SCENARIO_NAMES, type ScenarioName } from '../sandbox.types';
import { type ChannelWorld, buildChannelWorld } from '../slack/slack.generator';
import { type Scenario, type TimeFrame, buildScenario, timeFrame } from './world.model';

export interface ScenarioWorld {
  scenario: Scenario;
  repos: RepoWorld[];
  jira: JiraWorld;
  channels: ChannelWorld[];
}

export class WorldStore {
  readonly frame: TimeFrame;
  readonly scenarios: ScenarioWorld[];
  /** the sandbox clock; starts at the end of history and moves with advance */
  now: number;
  advances = 0;

  constructor(
    readonly seed: string,
    nowIso: string,
    readonly scale: number,
    names: typeof SCENARIO_NAMES,
  ) {
    this.frame = timeFrame(nowIso);
    this.now = this.frame.end;
    this.scenarios = names.map((name, i) => {
      const scenario = buildScenario(name, i, seed, this.frame);
      return {
        scenario,
        repos: scenario.repos.map((r) => buildRepoWorld(seed, scale, scenario, r, this.frame)),
        jira: buildJiraWorld(seed, scale, scenario, this.frame),
        channels: scenario.channels.map((c) => buildChannelWorld(seed, scale, scenario, c, this.frame)),
      };
    });
  }

  scenario(name: ScenarioName): ScenarioWorld {
    const s = this.scenarios.find((x) => x.scenario.name === name);
    if (!s) throw new Error(`unknown scenario ${name}`);
    return s;
  }

  repo(owner: string, name: string): RepoWorld | undefined {
    const s = this.scenarios.find((x) => x.scenario.owner.toLowerCase() === owner.toLowerCase());
    return s?.repos.find((r) => r.ctx.repo.name.toLowerCase() === name.toLowerCase());
  }

  repoById(id: number): RepoWorld | undefined {
    for (const s of this.scenarios) for (const r of s.repos) if (r.ctx.repo.id === id) return r;
    return undefined;
  }

  jiraProject(keyOrId: string): JiraWorld | undefined {
    return this.scenarios.find(
      (s) => s.scenario.jiraKey === keyOrId.toUpperCase() || String(s.scenario.jiraProjectId) === keyOrId,
    )?.jira;
  }

  channel(id: string): ChannelWorld | undefined {
    for (const s of this.scenarios)
      for (const c of s.channels)
        if (c.ctx.channel.id === id || c.ctx.channel.name === id.replace(/^#/, '')) return c;
    return undefined;
  }

  reset(): void {
    this.now = this.frame.end;
    this.advances = 0;
    for (const s of this.scenarios) {
      for (const r of s.repos) {
        r.items.resetOverlay();
        r.deployments.resetOverlay();
        r.releases.resetOverlay();
        r.nextNumber = r.items.baseTotal() + 1;
      }
      s.jira.issues.resetOverlay();
      s.jira.nextNumber = s.jira.issues.baseTotal() + 1;
      for (const c of s.channels) c.messages.resetOverlay();
    }
  }
}
