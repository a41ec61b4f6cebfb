import { z } from 'zod';
import { cron, int, names, text, timeZone } from '../common/schema-parts';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const calendarSchema = z.strictObject({
  timeZone: timeZone.meta({ example: 'America/Chicago' }),
  weekdays: z
    .array(int(1, 7))
    .max(7)
    .optional()
    .meta({ description: 'ISO weekdays, 1 = Monday … 7 = Sunday', example: [1, 2, 3, 4, 5] }),
  start: z.string().regex(HH_MM, 'must be HH:mm (24 h), such as 09:00').optional().meta({ example: '09:00' }),
  end: z.string().regex(HH_MM, 'must be HH:mm (24 h), such as 18:00').optional().meta({ example: '18:00' }),
  holidays: z
    .array(
      z
        .string()
        .regex(ISO_DATE, 'must be a date yyyy-mm-dd such as 2026-12-25')
        .meta({ example: '2026-12-25' }),
    )
    .max(400)
    .optional(),
});
export type CalendarDto = z.infer<typeof calendarSchema>;

export const engagementSettingsSchema = z.strictObject({
  bugTypes: names(20)
    .optional()
    .meta({ example: ['Bug'] }),
  bugLabels: names(50, 100)
    .optional()
    .meta({
      description: 'GitHub issue labels that make an issue a bug (whole label, case-insensitive)',
      example: ['bug', 'defect', 'regression'],
    }),
  escapedLabels: names(20, 100)
    .optional()
    .meta({ example: ['production', 'found-in-prod'] }),
  storyPointsField: text(100).nullable().optional().meta({ example: 'customfield_10016' }),
  productionEnvironments: names(20)
    .optional()
    .meta({ example: ['production'] }),
  bugSlaBusinessDays: z
    .record(text(50), int(0, 365))
    .refine((r) => Object.keys(r).length <= 20, 'must name at most 20 priorities')
    .optional()
    .meta({ example: { Highest: 1, High: 3, Medium: 10 } }),
  botAccounts: names(100)
    .optional()
    .meta({ example: ['ci-bot'] }),
  teamLevelOnly: z.boolean().optional().meta({
    description:
      'Team-level only: nobody but admins sees people named (drill-downs, roster, unassigned identities). docs/privacy.md',
    example: false,
  }),
  retentionMonths: int(1, 120).optional().meta({
    description: 'Raw records older than this are deleted daily (default 24). docs/privacy.md',
    example: 24,
  }),
});
export type EngagementSettingsDto = z.infer<typeof engagementSettingsSchema>;

const engagementFields = {
  name: text(200).meta({ example: 'Payments rewrite' }),
  vendorName: text(200).meta({ example: 'Acme Dev Studio' }),
  reportingTimeZone: timeZone.optional().meta({
    description: "Weekly buckets' zone; defaults to the client calendar's zone",
    example: 'Europe/Berlin',
  }),
  clientCalendar: calendarSchema,
  vendorCalendar: calendarSchema,
  syncCron: cron
    .optional()
    .meta({ description: 'Sync schedule, in the reporting time zone', example: '*/30 * * * *' }),
  settings: engagementSettingsSchema.optional(),
};

export const createEngagementSchema = z.strictObject(engagementFields);
export type CreateEngagementDto = z.infer<typeof createEngagementSchema>;

/** Every field optional; `null` is refused (leave a field out to keep it). */
export const updateEngagementSchema = z.strictObject({
  ...engagementFields,
  name: engagementFields.name.optional(),
  vendorName: engagementFields.vendorName.optional(),
  clientCalendar: calendarSchema.optional(),
  vendorCalendar: calendarSchema.optional(),
});
export type UpdateEngagementDto = z.infer<typeof updateEngagementSchema>;

/** Far beyond any KPI value (hours, percentages, counts) and exactly representable. */
const THRESHOLD_LIMIT = 1e9;

export const thresholdSchema = z.strictObject({
  kpiKey: text(100).meta({ example: 'delivery.pr_cycle_time' }),
  warn: z.number().min(-THRESHOLD_LIMIT).max(THRESHOLD_LIMIT).nullable().meta({ example: 72 }),
  breach: z.number().min(-THRESHOLD_LIMIT).max(THRESHOLD_LIMIT).nullable().meta({ example: 168 }),
  minN: int(0, 1000).nullable().optional().meta({
    description: "The engagement's minimum sample for this KPI (null = the catalogue default, docs/kpis.md)",
    example: 3,
  }),
});

export type ThresholdDto = z.infer<typeof thresholdSchema>;

export const putThresholdsSchema = z.strictObject({
  thresholds: z.array(thresholdSchema).max(200),
});
export type PutThresholdsDto = z.infer<typeof putThresholdsSchema>;

export const identitiesSchema = z.strictObject({
  github: names(20)
    .optional()
    .meta({ example: ['octocat'] }),
  jira: names(20)
    .optional()
    .meta({ example: ['5b10a2844c20165700ede21g'] }),
  slack: names(20)
    .optional()
    .meta({ example: ['U0123ABCD'] }),
});

export const personInputSchema = z.strictObject({
  id: text(64).optional().meta({ description: 'Existing person id; omit to add someone' }),
  displayName: text(200).meta({ example: 'Maria Santos' }),
  email: z.string().max(320).nullable().optional().meta({ example: 'maria@vendor.example' }),
  side: z.enum(['client', 'vendor']),
  isBot: z.boolean().optional(),
  identities: identitiesSchema,
});
export type PersonInputDto = z.infer<typeof personInputSchema>;

export const putPeopleSchema = z.strictObject({
  people: z.array(personInputSchema).max(2000),
});
export type PutPeopleDto = z.infer<typeof putPeopleSchema>;

export const putConnectionSchema = z.strictObject({
  settings: z.record(z.string().max(100), z.unknown()).meta({
    description:
      'Kind-specific, non-secret settings (github: baseUrl, repos; jira: baseUrl, email, projectKeys, boardIds; slack: baseUrl, channelIds)',
    example: { baseUrl: 'https://api.github.com', repos: ['acme/payments'] },
  }),
  secret: text(4096).optional().meta({
    description: 'API token. Write-only: stored encrypted, never returned. Omit to keep the current one.',
    writeOnly: true,
  }),
});
export type PutConnectionDto = z.infer<typeof putConnectionSchema>;

/** What a settings picker reads from the source with: the form as typed, not yet saved. */
export const connectionOptionsSchema = z.strictObject({
  settings: z.record(z.string().max(100), z.unknown()).meta({
    description:
      'The settings form as typed so far (e.g. jira: baseUrl, deployment, email, projectKeys); each picker reads what it needs.',
    example: { baseUrl: 'https://jira.example.invalid', email: 'pulse@example.com', projectKeys: ['PAY'] },
  }),
  secret: text(4096).optional().meta({
    description:
      'API token as typed. Omit to use the saved one, which is only sent to the host the saved connection points at. Never stored by this call.',
    writeOnly: true,
  }),
});
export type ConnectionOptionsDto = z.infer<typeof connectionOptionsSchema>;

/** A picker named by a connector field's `pickFrom`. */
export const pickerParam = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'must be a picker name such as projects')
  .meta({ example: 'projects' });
