import type { KpiStatus, RagStatus } from '@pulse/contracts';

type AnyStatus = RagStatus | KpiStatus;

const TEXT: Record<AnyStatus, string> = {
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
  unknown: 'Unknown',
  ok: 'OK',
  warn: 'Warn',
  breach: 'Breach',
  no_data: 'No data',
  low_sample: 'Low sample',
  no_threshold: 'No threshold',
};

// Low sample and no threshold are neutral: shown, never rated, and never green.
const TONE: Record<AnyStatus, 'good' | 'warn' | 'bad' | 'none' | 'neutral'> = {
  green: 'good',
  ok: 'good',
  amber: 'warn',
  warn: 'warn',
  red: 'bad',
  breach: 'bad',
  unknown: 'none',
  no_data: 'none',
  low_sample: 'neutral',
  no_threshold: 'neutral',
};

/** A distinct shape per tone, so status never rests on colour alone. */
export function StatusIcon({ status, size = 14 }: { status: AnyStatus; size?: number }) {
  const tone = TONE[status];
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
      className="status-icon"
    >
      {tone === 'good' && (
        <>
          <circle cx="8" cy="8" r="7" fill="currentColor" />
          <path
            d="M4.5 8.2l2.3 2.3 4.7-4.9"
            stroke="#fff"
            strokeWidth="1.8"
            fill="none"
            strokeLinecap="round"
          />
        </>
      )}
      {tone === 'warn' && (
        <>
          <path d="M8 1.2l7 13.2H1z" fill="currentColor" />
          <path d="M8 5.8v4.2" stroke="#1a1a1a" strokeWidth="1.8" strokeLinecap="round" />
          <circle cx="8" cy="12.3" r="1" fill="#1a1a1a" />
        </>
      )}
      {tone === 'bad' && (
        <>
          <path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="currentColor" />
          <path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" strokeWidth="1.8" strokeLinecap="round" />
        </>
      )}
      {tone === 'neutral' && (
        <>
          <circle cx="8" cy="8" r="6.3" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M4.8 8h6.4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </>
      )}
      {tone === 'none' && (
        <>
          <circle
            cx="8"
            cy="8"
            r="6.3"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeDasharray="2.4 1.6"
          />
          <path
            d="M6.3 6.3a1.8 1.8 0 113 1.4c-.8.5-1.3.9-1.3 1.8"
            stroke="currentColor"
            strokeWidth="1.4"
            fill="none"
          />
          <circle cx="8" cy="11.6" r=".9" fill="currentColor" />
        </>
      )}
    </svg>
  );
}

export function StatusBadge({
  status,
  label,
  size = 'md',
}: {
  status: AnyStatus;
  label?: string;
  size?: 'md' | 'lg';
}) {
  return (
    <span
      className={`badge badge--${TONE[status]} badge--${size}`}
      data-testid="status-badge"
      data-status={status}
    >
      <StatusIcon status={status} size={size === 'lg' ? 18 : 14} />
      <span>{label ?? TEXT[status]}</span>
    </span>
  );
}

export function statusText(status: AnyStatus): string {
  return TEXT[status];
}

export function statusTone(status: AnyStatus): string {
  return TONE[status];
}
