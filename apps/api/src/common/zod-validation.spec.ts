import { BadRequestException } from '@nestjs/common';
import type { ApiErrorBody } from '@pulse/contracts';
import {
  createEngagementSchema,
  putPeopleSchema,
  updateEngagementSchema,
} from '../engagements/engagement.dto';
import { createShareLinkSchema } from '../share/share.dto';
import { openApiSchema, ZodPipe } from './zod-validation';

function problems(pipe: ZodPipe<never>, value: unknown): ApiErrorBody['details'] {
  try {
    pipe.transform(value);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestException);
    return ((e as BadRequestException).getResponse() as ApiErrorBody).details;
  }
  throw new Error('expected a 400');
}

const pipe = (schema: unknown) => new ZodPipe(schema as never);

describe('ZodPipe', () => {
  it('refuses null on PATCH and says to leave the field out', () => {
    expect(problems(pipe(updateEngagementSchema), { name: null })).toEqual([
      {
        field: 'name',
        message: 'must not be null: send a value, or leave the field out to keep the current one',
      },
    ]);
  });

  it('names the element of a malformed roster', () => {
    expect(problems(pipe(putPeopleSchema), { people: [[]] })).toEqual([
      { field: 'people.0', message: 'must be an object, not a list' },
    ]);
  });

  it('re-checks dates after parsing: ISO week dates and impossible instants are refused', () => {
    for (const expiresAt of ['2099-W01-1', '2099-13-01T00:00:00Z', '+275760-09-13T00:00:00Z', '2099-01-01']) {
      expect(problems(pipe(createShareLinkSchema), { expiresAt })?.[0]?.field).toBe('expiresAt');
    }
    expect(pipe(createShareLinkSchema).transform({ expiresAt: '2099-01-01T00:00:00Z' })).toEqual({
      expiresAt: '2099-01-01T00:00:00Z',
    });
  });

  it('refuses unknown fields, NULs and numbers beyond their range', () => {
    const body = {
      name: 'a',
      vendorName: 'b',
      clientCalendar: { timeZone: 'UTC', weekdays: [2 ** 31] },
      vendorCalendar: { timeZone: 'UTC' },
      bogus: 1,
    };
    expect(
      problems(pipe(createEngagementSchema), body)
        ?.map((d) => d.field)
        .sort(),
    ).toEqual(['bogus', 'clientCalendar.weekdays.0']);
    expect(problems(pipe(updateEngagementSchema), { name: 'a\u0000' })?.[0]?.field).toBe('name');
  });

  it('refuses a bug label pattern: settings take label lists', () => {
    expect(
      problems(pipe(updateEngagementSchema), { settings: { bugLabelPattern: '^(\\w*){16}!$' } }),
    ).toEqual([
      {
        field: 'settings.bugLabelPattern',
        message: expect.stringMatching(/^was replaced by bugLabels .*send the labels as a list/),
      },
    ]);
    expect(pipe(updateEngagementSchema).transform({ settings: { bugLabels: ['Crash'] } })).toEqual({
      settings: { bugLabels: ['Crash'] },
    });
  });

  it('renders the schema for the OpenAPI document', () => {
    const doc = openApiSchema(createShareLinkSchema) as {
      type: string;
      properties: Record<string, { type?: string }>;
      additionalProperties: boolean;
    };
    expect(doc.type).toBe('object');
    expect(doc.additionalProperties).toBe(false);
    expect(Object.keys(doc.properties).sort()).toEqual(['allowDrillDown', 'expiresAt', 'families']);
  });
});
