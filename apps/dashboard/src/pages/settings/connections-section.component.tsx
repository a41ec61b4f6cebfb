import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type {
  ConnectionDto,
  ConnectionPickerDto,
  ConnectionTestDto,
  ConnectorDescriptionDto,
  ConnectorFieldDto,
  SyncRunDto,
} from '@pulse/contracts';
import { api, ApiError } from '../../api/http';
import { ErrorNote, Loading } from '../../components/query-state.component';
import { useConnectorForms } from '../../hooks/use-connector-forms.hook';
import { useConnections, useEngagementHealth } from '../../hooks/use-engagements.hook';
import { queryKeys } from '../../hooks/query-keys';
import {
  initialValues,
  isListField,
  listItems,
  pickerBlocker,
  toSettings,
  withPicked,
  type FormValues,
} from '../../lib/connection-form';
import { sourceLabel } from '../../lib/format';
import { sourceFreshness } from '../../lib/prepare-portfolio-card';

/** Why a picker failed, in the API's words (422/424/429 carry the source's error class). */
function pickerError(e: Error): string {
  if (e instanceof ApiError && e.body) {
    const details = e.fieldErrors();
    const first = Object.values(details)[0];
    return first ?? e.body.message;
  }
  return e.message;
}

/**
 * One settings input rendered from the connector's description. A field with a picker can
 * load its values from the site: lists become a multi-select, a single value a select;
 * typing stays possible, so a value the site does not list can still be entered.
 */
function SettingsField({
  engagementId,
  form,
  field,
  values,
  setValue,
  secret,
  existing,
  error,
}: {
  engagementId: string;
  form: ConnectorDescriptionDto;
  field: ConnectorFieldDto;
  values: FormValues;
  setValue: (name: string, value: string) => void;
  secret: string;
  existing?: ConnectionDto;
  error?: string;
}) {
  const id = `conn-${form.kind}-${field.name}`;
  const value = values[field.name] ?? '';
  const load = useMutation({
    mutationFn: () =>
      api<ConnectionPickerDto>(
        `/api/engagements/${engagementId}/connections/${form.kind}/options/${field.pickFrom}`,
        {
          method: 'POST',
          body: { settings: toSettings(form, values), ...(secret ? { secret } : {}) },
        },
      ),
  });
  const blocker = field.pickFrom
    ? pickerBlocker(form, field, values, {
        typed: secret.length > 0,
        saved: !!existing?.hasSecret,
        savedBaseUrl: typeof existing?.settings['baseUrl'] === 'string' ? existing.settings['baseUrl'] : null,
      })
    : null;
  const options = load.data?.options ?? [];
  const offered = options.map((o) => o.value);
  const describedBy = `${id}-help`;

  let input;
  if (field.kind === 'choice') {
    input = (
      <select
        id={id}
        value={value}
        onChange={(e) => setValue(field.name, e.target.value)}
        aria-describedby={describedBy}
      >
        {!field.required && <option value="">(default)</option>}
        {(field.choices ?? []).map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        id={id}
        type={field.kind === 'email' ? 'email' : field.kind === 'url' ? 'url' : 'text'}
        value={value}
        onChange={(e) => setValue(field.name, e.target.value)}
        aria-invalid={!!error}
        aria-describedby={describedBy}
      />
    );
  }
  return (
    <div className="field" data-testid={`field-${form.kind}-${field.name}`}>
      <label htmlFor={id}>
        {field.label}
        {field.required ? '' : <span className="muted"> (optional)</span>}
      </label>
      {input}
      <span id={describedBy} className="muted small">
        {field.description}
        {isListField(field) && !field.pickFrom ? ' Separate several with commas.' : ''}
      </span>
      {field.pickFrom && (
        <div className="stack picker">
          <div className="button-row">
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => load.mutate()}
              disabled={!!blocker || load.isPending}
              data-testid={`picker-load-${form.kind}-${field.name}`}
            >
              {load.isPending ? 'Loading…' : load.data ? 'Reload from the site' : 'Choose from the site'}
            </button>
            {blocker && <span className="muted small">{blocker}</span>}
          </div>
          {load.error && (
            <span className="error-text small" role="alert">
              {pickerError(load.error)}
            </span>
          )}
          {load.data && options.length === 0 && <span className="muted small">The site offers none.</span>}
          {load.data && options.length > 0 && isListField(field) && (
            <select
              multiple
              aria-label={`${field.label} from the site`}
              data-testid={`picker-${form.kind}-${field.name}`}
              size={Math.max(2, Math.min(8, options.length))}
              value={listItems(value).filter((v) => offered.includes(v))}
              onChange={(e) =>
                setValue(
                  field.name,
                  withPicked(
                    value,
                    [...e.target.selectedOptions].map((o) => o.value),
                    offered,
                  ),
                )
              }
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                  {o.hint ? ` — ${o.hint}` : ''}
                </option>
              ))}
            </select>
          )}
          {load.data && options.length > 0 && !isListField(field) && (
            <select
              aria-label={`${field.label} from the site`}
              data-testid={`picker-${form.kind}-${field.name}`}
              value={offered.includes(value) ? value : ''}
              onChange={(e) => setValue(field.name, e.target.value)}
            >
              <option value="">{field.required ? '(choose)' : '(found automatically)'}</option>
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                  {o.hint ? ` — ${o.hint}` : ''}
                </option>
              ))}
            </select>
          )}
          {load.data?.truncated && (
            <span className="muted small">The site has more than shown: type any others by hand.</span>
          )}
        </div>
      )}
      {error && <span className="error-text small">{error}</span>}
    </div>
  );
}

function ConnectionForm({
  engagementId,
  form,
  existing,
}: {
  engagementId: string;
  form: ConnectorDescriptionDto;
  existing?: ConnectionDto;
}) {
  const kind = form.kind;
  const client = useQueryClient();
  const [values, setValues] = useState<FormValues>(() => initialValues(form, existing?.settings));
  const [secret, setSecret] = useState('');
  // Connections and everything rated from their freshness (health, KPIs).
  const invalidate = () => client.invalidateQueries({ queryKey: queryKeys.engagement(engagementId) });
  const health = useEngagementHealth(engagementId);
  const save = useMutation({
    mutationFn: () =>
      api<ConnectionDto>(`/api/engagements/${engagementId}/connections/${kind}`, {
        method: 'PUT',
        body: { settings: toSettings(form, values), ...(secret ? { secret } : {}) },
      }),
    onSuccess: () => {
      setSecret('');
      void invalidate();
    },
  });
  const test = useMutation({
    mutationFn: () =>
      api<ConnectionTestDto>(`/api/engagements/${engagementId}/connections/${kind}/test`, { method: 'POST' }),
  });
  // Full resync: the source is read again from the start (cursor and ETags forgotten).
  const resync = useMutation({
    mutationFn: () =>
      api<SyncRunDto>(`/api/engagements/${engagementId}/connections/${kind}/resync`, { method: 'POST' }),
    onSuccess: () => void invalidate(),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/api/engagements/${engagementId}/connections/${kind}`, { method: 'DELETE' }),
    onSuccess: () => void invalidate(),
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const renderField = (f: ConnectorFieldDto) => (
    <SettingsField
      key={f.name}
      engagementId={engagementId}
      form={form}
      field={f}
      values={values}
      setValue={(name, value) => setValues((v) => ({ ...v, [name]: value }))}
      secret={secret}
      {...(existing ? { existing } : {})}
      {...(errors[`settings.${f.name}`] ? { error: errors[`settings.${f.name}`] } : {})}
    />
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // The API's freshness (the same words as the card and the engagement page).
  const source = health.data?.sources.find((s) => s.source === kind);
  const fresh = existing && source ? sourceFreshness(source) : null;
  return (
    <section className="panel connection" aria-labelledby={`conn-${kind}`} data-testid={`connection-${kind}`}>
      <h3 id={`conn-${kind}`}>
        {sourceLabel(kind)} {!existing && <span className="muted small">not connected</span>}
      </h3>
      {fresh && <p className={`freshness__item freshness__item--${fresh.tone} small`}>{fresh.text}</p>}
      {existing?.sync.lastErrorMessage && fresh?.tone === 'error' && (
        <p className="small muted">Last error: {existing.sync.lastErrorMessage}</p>
      )}
      {/* how the last sync ran (e.g. over REST because GraphQL was refused): information, not an error */}
      {existing?.statusNote && (
        <p className="connection__note small" role="note" data-testid={`status-note-${kind}`}>
          Note: {existing.statusNote}
        </p>
      )}
      <form className="form" onSubmit={submit}>
        {/* the token comes before the fields read from the site with it */}
        {form.fields.filter((f) => !f.pickFrom).map(renderField)}
        <label className="field">
          <span>
            {form.secretLabel}{' '}
            {existing?.hasSecret && <span className="muted">(set — leave empty to keep it)</span>}
          </span>
          <input
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            data-testid={`secret-${kind}`}
          />
        </label>
        {form.fields.filter((f) => f.pickFrom).map(renderField)}
        {save.error && !Object.keys(errors).length && (
          <p className="error-text" role="alert">
            {save.error.message}
          </p>
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            className="button button--ghost"
            onClick={() => test.mutate()}
            disabled={!existing || !form.collected || test.isPending}
            title={
              form.collected ? undefined : `${form.label} is not collected yet: settings can be saved only`
            }
            data-testid={`connection-test-${kind}`}
          >
            {test.isPending ? 'Testing…' : 'Test connection'}
          </button>
          {existing && (
            <button
              type="button"
              className="button button--ghost"
              onClick={() =>
                window.confirm(
                  `Read everything from ${sourceLabel(kind)} again? Nothing stored is lost; the sync takes longer.`,
                ) && resync.mutate()
              }
              disabled={resync.isPending}
              data-testid={`connection-resync-${kind}`}
            >
              {resync.isPending ? 'Starting…' : 'Full resync'}
            </button>
          )}
          {existing && (
            <button
              type="button"
              className="button button--danger"
              onClick={() => window.confirm(`Remove the ${sourceLabel(kind)} connection?`) && remove.mutate()}
            >
              Remove
            </button>
          )}
        </div>
        <div aria-live="polite" data-testid={`connection-test-result-${kind}`}>
          {test.data && (
            <p className={test.data.ok ? 'ok-text' : 'error-text'}>
              {test.data.ok ? '✓ ' : '✕ '}
              {test.data.message}
            </p>
          )}
          {resync.data && <p className="ok-text">Full resync queued: everything is read again.</p>}
          {resync.error && <p className="error-text">{resync.error.message}</p>}
          {test.error && (
            <p className="error-text">
              {test.error instanceof ApiError && test.error.status === 404
                ? 'Testing is not available on this server yet.'
                : test.error.message}
            </p>
          )}
        </div>
      </form>
    </section>
  );
}

export function ConnectionsSection({ engagementId }: { engagementId: string }) {
  const connections = useConnections(engagementId);
  // The forms come from the API's connector registry: a new source appears here by itself.
  const forms = useConnectorForms();
  if (connections.isPending || forms.isPending) return <Loading />;
  if (connections.error) return <ErrorNote error={connections.error} />;
  if (forms.error) return <ErrorNote error={forms.error} />;
  return (
    <div className="stack">
      <p className="muted">Tokens are write-only: they are stored encrypted and never shown again.</p>
      {forms.data.map((form) => (
        <ConnectionForm
          key={form.kind}
          engagementId={engagementId}
          form={form}
          existing={connections.data.find((c) => c.kind === form.kind)}
        />
      ))}
    </div>
  );
}
