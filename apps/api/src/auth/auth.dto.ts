import { z } from 'zod';

export const loginSchema = z.strictObject({
  email: z
    .email('must be an e-mail address such as admin@pulse.local')
    .max(320)
    .meta({ example: 'admin@pulse.local' }),
  password: z.string().min(1).max(1024),
});
export type LoginDto = z.infer<typeof loginSchema>;
