import { z } from 'zod';
import { text, uuid } from '../common/schema-parts';

export const identitySource = z.enum(['github', 'jira', 'slack']).meta({ example: 'github' });
const externalId = text(200).meta({
  description: 'GitHub login, Jira accountId or Slack user id, as the source reports it',
  example: 'octocat',
});

export const erasureSchema = z.union([
  z.strictObject({ source: identitySource, externalId }),
  z.strictObject({
    personId: uuid.meta({
      description: 'A roster person (any engagement): erases every identity linked to them',
    }),
  }),
]);
export type ErasureBody = z.infer<typeof erasureSchema>;

export const exportFormat = z
  .enum(['json', 'csv'])
  .optional()
  .transform((f) => f ?? 'json');
export const exportTableQuery = text(50).optional();
export const sourceQuery = identitySource.optional();
export const externalIdQuery = externalId.optional();
export const personIdQuery = uuid.optional();
