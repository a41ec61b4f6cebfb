// The connection settings form's logic, independent of React: field values as text, the
// settings object sent to the API, and when a picker may ask the site for its options.
import type { ConnectorDescriptionDto, ConnectorFieldDto } from '@pulse/contracts';

/** The form holds every field as the text the user sees (lists comma-separated). */
export type FormValues = Record<string, string>;

export const isListField = (f: ConnectorFieldDto): boolean => f.kind === 'list' || f.kind === 'number-list';

/** A stored setting as the text of its input. */
export function toText(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  return v === undefined || v === null ? '' : String(v);
}

/** The items of a list field's text (commas or whitespace separate them). */
export function listItems(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function initialValues(form: ConnectorDescriptionDto, settings?: Record<string, unknown>): FormValues {
  return Object.fromEntries(form.fields.map((f) => [f.name, toText(settings?.[f.name])]));
}

/**
 * The settings object for the API: empty optional fields left out (the server fills its
 * defaults), lists split, number lists as numbers (a non-number stays text, so the server's
 * validation names the field instead of the form guessing).
 */
export function toSettings(form: ConnectorDescriptionDto, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    const raw = (values[f.name] ?? '').trim();
    if (isListField(f)) {
      const items = listItems(raw);
      if (items.length || f.required)
        out[f.name] = f.kind === 'number-list' ? items.map((i) => (/^\d+$/.test(i) ? Number(i) : i)) : items;
    } else if (raw) out[f.name] = raw;
  }
  return out;
}

/**
 * Why a picker cannot load yet (what to fill in first), or null when it can: the site URL
 * and a token (typed, or saved for the same URL) are needed, and boards and issue types are
 * read from the chosen projects.
 */
export function pickerBlocker(
  form: ConnectorDescriptionDto,
  field: ConnectorFieldDto,
  values: FormValues,
  token: { typed: boolean; saved: boolean; savedBaseUrl: string | null },
): string | null {
  const baseUrl = (values['baseUrl'] ?? '').trim();
  const urlField = form.fields.find((f) => f.name === 'baseUrl');
  if (urlField?.required && !baseUrl) return `Enter the ${urlField.label} first.`;
  const sameHost = token.saved && sameOrigin(baseUrl, token.savedBaseUrl);
  if (!token.typed && !sameHost) return `Enter the ${form.secretLabel.split(' (')[0]} first.`;
  const projects = form.fields.find((f) => f.pickFrom === 'projects');
  if (projects && field !== projects && (field.pickFrom === 'boards' || field.pickFrom === 'issueTypes')) {
    if (!listItems(values[projects.name] ?? '').length)
      return `Choose the ${projects.label.toLowerCase()} first.`;
  }
  return null;
}

function sameOrigin(a: string, b: string | null): boolean {
  if (!b) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** A list field's text after toggling the picked values on (kept in the order picked). */
export function withPicked(text: string, picked: readonly string[], offered: readonly string[]): string {
  const offeredSet = new Set(offered);
  // values typed by hand that the site did not offer are kept, not silently dropped
  const kept = listItems(text).filter((v) => !offeredSet.has(v));
  return [...kept, ...picked].join(', ');
}
