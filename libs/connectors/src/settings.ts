import { z } from 'zod';
import type { ConnectionKind } from '@pulse/contracts';
import { githubRepoNameSchema } from './github/repo-name';

// Non-secret settings of each connection kind, validated at the API edge and trusted by
// the collectors. `baseUrl` lets the same code talk to github.com, GitHub Enterprise
// Server, Jira Cloud/Data Center, Slack and the sandbox.

const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must be an http(s) URL')
  // credentials belong in the token field, where they are encrypted and never sent elsewhere
  .refine((v) => !/^https?:\/\/[^/?#]*@/.test(v), 'must not contain a user name or password')
  .transform((v) => v.replace(/\/+$/, ''));

export const githubSettingsSchema = z
  .object({
    baseUrl: httpUrl.default('https://api.github.com'),
    repos: z.array(githubRepoNameSchema).min(1, 'list at least one repo').max(200),
    coverageArtifactPattern: z.string().min(1).max(200).default('coverage*'),
    /**
     * How pull requests are read: `graphql` (default; ~1 query per 25 PRs, falls back to REST
     * when the server has no GraphQL or refuses it) or `rest` (~5 requests per PR).
     */
    api: z.enum(['graphql', 'rest']).default('graphql'),
  })
  .strict();

export const jiraSettingsSchema = z
  .object({
    baseUrl: httpUrl,
    /** `auto` reads `deploymentType` from /rest/api/2/serverInfo. */
    deployment: z.enum(['auto', 'cloud', 'datacenter']).default('auto'),
    /** Atlassian account email for Cloud basic auth; omit for a Data Center bearer token. */
    email: z.string().email().optional(),
    projectKeys: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'Jira project keys are upper-case, e.g. PAY'))
      .min(1)
      .max(50),
    boardIds: z.array(z.number().int().positive()).max(50).default([]),
    /** Story points field id (customfield_10016) or name; found by name when omitted. */
    storyPointsField: z.string().min(1).max(100).optional(),
    /** Bug issue type names, matched on the name and the untranslated name (e.g. 缺陷). */
    bugTypes: z.array(z.string().min(1).max(100)).max(20).optional(),
  })
  .strict();

export const slackSettingsSchema = z
  .object({
    baseUrl: httpUrl.default('https://slack.com/api'),
    channelIds: z
      .array(z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'Slack channel ids look like C0123ABCD'))
      .min(1)
      .max(100),
    digestChannelId: z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/)
      .optional(),
    /**
     * Decides the history/replies rate limit: `internal` (an app built for its own workspace,
     * Tier 3) or `non_marketplace_2025` (distributed outside the Marketplace, created after
     * 2025-05-29: 1 request a minute, 15 messages a page).
     */
    appClass: z.enum(['internal', 'non_marketplace_2025']).default('internal'),
  })
  .strict();

export type GithubSettings = z.infer<typeof githubSettingsSchema>;
export type JiraSettings = z.infer<typeof jiraSettingsSchema>;
export type SlackSettings = z.infer<typeof slackSettingsSchema>;

export const CONNECTION_SETTINGS_SCHEMAS = {
  github: githubSettingsSchema,
  jira: jiraSettingsSchema,
  slack: slackSettingsSchema,
} satisfies Record<ConnectionKind, z.ZodType>;
