import { useState, type FormEvent } from 'react';
import type { DateRange, RangePreset } from '../lib/date-range';

const PRESETS: { value: RangePreset; label: string }[] = [
  { value: '12', label: '12 weeks' },
  { value: '26', label: '26 weeks' },
  { value: '52', label: '52 weeks' },
  { value: 'custom', label: 'Custom' },
];

export function RangePicker({
  preset,
  range,
  onChange,
}: {
  preset: RangePreset;
  range: DateRange;
  onChange: (preset: RangePreset, custom?: DateRange) => void;
}) {
  const [showCustom, setShowCustom] = useState(preset === 'custom');
  const [from, setFrom] = useState(range.from);
  const [to, setTo] = useState(range.to);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && from <= to) onChange('custom', { from, to });
  };
  return (
    <div className="range" data-testid="range-picker">
      <div role="group" aria-label="Time range" className="segmented">
        {PRESETS.map((p) => (
          <button
            key={p.value}
            type="button"
            aria-pressed={p.value === 'custom' ? showCustom : !showCustom && preset === p.value}
            onClick={() => {
              if (p.value === 'custom') setShowCustom(true);
              else {
                setShowCustom(false);
                onChange(p.value);
              }
            }}
          >
            {p.label}
          </button>
        ))}
      </div>
      {showCustom && (
        <form className="range__custom" onSubmit={submit}>
          <label>
            From{' '}
            <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label>
            To <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <button type="submit" className="button button--small">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
