import { z } from 'zod';
import { int } from '../common/schema-parts';

const channelId = z
  .string()
  .regex(/^[CG][A-Z0-9]{2,30}$/, 'must be a Slack channel id such as C0123ABCD (channel details → bottom)');

export const digestAudience = z.enum(['client', 'vendor'], { message: 'must be "client" or "vendor"' });

/** PUT /api/engagements/:id/digest/settings. Omitted fields keep their value. */
export const putDigestSettingsSchema = z
  .object({
    clientChannelId: channelId.nullable().optional(),
    vendorChannelId: channelId.nullable().optional(),
    weekday: int(1, 7).optional().meta({ description: 'ISO weekday: 1 = Monday … 7 = Sunday' }),
    timeOfDay: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time such as 09:00')
      .optional(),
    /** The vendor's share link (its URL or token), linked from the vendor digest; null removes it. */
    vendorShareLink: z.string().min(16).max(2000).nullable().optional(),
  })
  .strict();
export type PutDigestSettingsDto = z.infer<typeof putDigestSettingsSchema>;

export const sendDigestSchema = z.object({ audience: digestAudience }).strict();
export type SendDigestDto = z.infer<typeof sendDigestSchema>;
