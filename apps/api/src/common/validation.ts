import { DateTime } from 'luxon';
import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import {
  registerDecorator,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { ApiErrorBody } from '@pulse/contracts';

type FieldProblem = NonNullable<ApiErrorBody['details']>[number];

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function badRequest(details: FieldProblem[]): BadRequestException {
  const body: ApiErrorBody = {
    statusCode: 400,
    error: 'Bad Request',
    message: details.map((d) => `${d.field}: ${d.message}`).join('; '),
    details,
  };
  return new BadRequestException(body);
}

/** Whitelisting validation whose 400 names every bad field, nested ones with a dotted path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => badRequest(flatten(errors)),
  });
}

export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || !value) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isTimeZone(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be an IANA time zone such as America/Chicago (got ${JSON.stringify(args.value)})`;
  }
}

export function IsTimeZone(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ target: object.constructor, propertyName, options, validator: IsTimeZoneConstraint });
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** Five-field cron (minute hour day-of-month month day-of-week), numeric fields only. */
export function isCron(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const fields = value.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => CRON_FIELD.test(f));
}

@ValidatorConstraint({ name: 'isCron' })
class IsCronConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isCron(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a five-field cron pattern such as "*/30 * * * *"`;
  }
}

export function IsCron(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({ target: object.constructor, propertyName, options, validator: IsCronConstraint });
}

/** A `yyyy-mm-dd` query parameter as the start of that day in `zone`, or a 400 naming it. */
export function parseDateParam(value: string, field: string, zone: string): DateTime {
  const t = DateTime.fromISO(value, { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !t.isValid)
    throw badRequest([{ field, message: 'must be a date yyyy-mm-dd' }]);
  return t;
}
