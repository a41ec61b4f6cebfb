import { useState, type FormEvent } from 'react';
import type { EngagementDto, WorkingCalendar } from '@pulse/contracts';
import { DEFAULT_WORKING_CALENDAR } from '@pulse/contracts';
import { ApiError } from '../../api/http';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface DetailsBody {
  name: string;
  vendorName: string;
  reportingTimeZone: string;
  syncCron: string;
  clientCalendar: WorkingCalendar;
  vendorCalendar: WorkingCalendar;
}

function guessZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

export function initialDetails(e?: EngagementDto): DetailsBody {
  const zone = guessZone();
  return {
    name: e?.name ?? '',
    vendorName: e?.vendorName ?? '',
    reportingTimeZone: e?.reportingTimeZone ?? zone,
    syncCron: e?.syncCron ?? '*/30 * * * *',
    clientCalendar: e?.clientCalendar ?? { timeZone: zone, ...DEFAULT_WORKING_CALENDAR },
    vendorCalendar: e?.vendorCalendar ?? { timeZone: zone, ...DEFAULT_WORKING_CALENDAR },
  };
}

function FieldError({ errors, field }: { errors: Record<string, string>; field: string }) {
  const message = errors[field];
  return message ? (
    <span className="error-text small" id={`err-${field}`}>
      {message}
    </span>
  ) : null;
}

function CalendarFields({
  legend,
  prefix,
  value,
  onChange,
  errors,
}: {
  legend: string;
  prefix: 'clientCalendar' | 'vendorCalendar';
  value: WorkingCalendar;
  onChange: (c: WorkingCalendar) => void;
  errors: Record<string, string>;
}) {
  return (
    <fieldset className="fieldset">
      <legend>{legend}</legend>
      <label className="field">
        <span>Time zone (IANA)</span>
        <input
          value={value.timeZone}
          onChange={(e) => onChange({ ...value, timeZone: e.target.value })}
          required
          data-testid={`${prefix}-timezone`}
          aria-invalid={!!errors[`${prefix}.timeZone`]}
        />
        <FieldError errors={errors} field={`${prefix}.timeZone`} />
      </label>
      <div className="field">
        <span id={`${prefix}-days`}>Working days</span>
        <div className="checks" role="group" aria-labelledby={`${prefix}-days`}>
          {WEEKDAYS.map((d, i) => (
            <label key={d} className="check">
              <input
                type="checkbox"
                checked={value.weekdays.includes(i + 1)}
                onChange={(e) =>
                  onChange({
                    ...value,
                    weekdays: e.target.checked
                      ? [...value.weekdays, i + 1].sort((a, b) => a - b)
                      : value.weekdays.filter((w) => w !== i + 1),
                  })
                }
              />
              {d}
            </label>
          ))}
        </div>
      </div>
      <div className="row">
        <label className="field">
          <span>Day starts</span>
          <input
            type="time"
            value={value.start}
            onChange={(e) => onChange({ ...value, start: e.target.value })}
            required
          />
          <FieldError errors={errors} field={`${prefix}.start`} />
        </label>
        <label className="field">
          <span>Day ends</span>
          <input
            type="time"
            value={value.end}
            onChange={(e) => onChange({ ...value, end: e.target.value })}
            required
          />
          <FieldError errors={errors} field={`${prefix}.end`} />
        </label>
      </div>
      <label className="field">
        <span>Holidays (one yyyy-mm-dd per line)</span>
        <textarea
          rows={3}
          value={value.holidays.join('\n')}
          onChange={(e) =>
            onChange({
              ...value,
              holidays: e.target.value
                .split(/[\s,]+/)
                .map((s) => s.trim())
                .filter(Boolean),
            })
          }
        />
        <FieldError errors={errors} field={`${prefix}.holidays`} />
      </label>
    </fieldset>
  );
}

/** Name, vendor, reporting zone, sync schedule and both working calendars. */
export function DetailsForm({
  initial,
  submitLabel,
  onSubmit,
  pending,
  error,
  saved,
}: {
  initial: DetailsBody;
  submitLabel: string;
  onSubmit: (body: DetailsBody) => void;
  pending: boolean;
  error: unknown;
  saved?: boolean;
}) {
  const [v, setV] = useState(initial);
  const errors = error instanceof ApiError ? error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(v);
  };
  return (
    <form className="form" onSubmit={submit} data-testid="details-form">
      <div className="row">
        <label className="field">
          <span>Engagement name</span>
          <input
            value={v.name}
            onChange={(e) => setV({ ...v, name: e.target.value })}
            required
            data-testid="details-name"
          />
          <FieldError errors={errors} field="name" />
        </label>
        <label className="field">
          <span>Vendor</span>
          <input
            value={v.vendorName}
            onChange={(e) => setV({ ...v, vendorName: e.target.value })}
            required
            data-testid="details-vendor"
          />
          <FieldError errors={errors} field="vendorName" />
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>Reporting time zone (weekly buckets)</span>
          <input
            value={v.reportingTimeZone}
            onChange={(e) => setV({ ...v, reportingTimeZone: e.target.value })}
            required
          />
          <FieldError errors={errors} field="reportingTimeZone" />
        </label>
        <label className="field">
          <span>Sync schedule (cron, reporting zone)</span>
          <input value={v.syncCron} onChange={(e) => setV({ ...v, syncCron: e.target.value })} required />
          <FieldError errors={errors} field="syncCron" />
        </label>
      </div>
      <div className="row row--top">
        <CalendarFields
          legend="Client working calendar"
          prefix="clientCalendar"
          value={v.clientCalendar}
          onChange={(c) => setV({ ...v, clientCalendar: c })}
          errors={errors}
        />
        <CalendarFields
          legend="Vendor working calendar"
          prefix="vendorCalendar"
          value={v.vendorCalendar}
          onChange={(c) => setV({ ...v, vendorCalendar: c })}
          errors={errors}
        />
      </div>
      {error instanceof Error && (
        <p className="error-text" role="alert">
          {error.message}
        </p>
      )}
      {saved && !pending && !error && (
        <p className="ok-text" role="status">
          Saved.
        </p>
      )}
      <button type="submit" className="button" disabled={pending} data-testid="details-save">
        {pending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
