import { z } from 'zod';
import { isoInstant, text } from '../common/schema-parts';

/** Multipart form fields of a coverage upload (the file itself is the `report` part). */
export const coverageUploadSchema = z.strictObject({
  repo: z
    .string()
    .max(200)
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/name')
    .meta({ example: 'acme/payments' }),
  branch: text(200).meta({ example: 'main' }),
  sha: z
    .string()
    .regex(/^[0-9a-f]{7,64}$/i, 'must be a commit SHA (hex)')
    .meta({ example: '4f1c2e9' }),
  committedAt: isoInstant.optional().meta({ description: 'Commit time (ISO); default: now' }),
  defaultBranch: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'Whether branch is the default branch; default: branch is main or master' }),
});
export type CoverageUploadDto = z.infer<typeof coverageUploadSchema>;

/** The multipart body as documented (the pipe checks the fields; multer limits the file). */
export const coverageUploadDocSchema = {
  type: 'object',
  required: ['repo', 'branch', 'sha', 'report'],
  properties: {
    repo: { type: 'string', example: 'acme/payments' },
    branch: { type: 'string', example: 'main' },
    sha: { type: 'string', example: '4f1c2e9' },
    committedAt: { type: 'string', format: 'date-time' },
    defaultBranch: { type: 'string', enum: ['true', 'false'] },
    report: { type: 'string', format: 'binary', description: 'The report file' },
  },
};
