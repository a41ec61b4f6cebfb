import { z } from 'zod';
import { KPI_FAMILIES } from '@pulse/contracts';
import { isoInstant } from '../common/schema-parts';

export const createShareLinkSchema = z.strictObject({
  expiresAt: isoInstant.optional().meta({
    description: 'When the link stops working (ISO instant); omit for no expiry',
    example: '2027-01-31T00:00:00Z',
  }),
  families: z
    .array(z.enum(KPI_FAMILIES))
    .max(KPI_FAMILIES.length)
    .optional()
    .meta({
      description: 'KPI families the vendor may see (default: all)',
      example: ['delivery', 'quality'],
    }),
  allowDrillDown: z.boolean().optional().meta({
    description: 'Show item lists (PR numbers, links to GitHub/Jira) to the vendor',
    default: false,
  }),
});
export type CreateShareLinkDto = z.infer<typeof createShareLinkSchema>;
