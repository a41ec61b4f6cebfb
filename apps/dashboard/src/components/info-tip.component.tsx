import { useId, useState, type ReactNode } from 'react';

/** An "i" button whose text shows on hover and on keyboard focus (and toggles on tap). */
export function InfoTip({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span className={`info-tip${open ? ' info-tip--open' : ''}`} onMouseLeave={() => setOpen(false)}>
      <button
        type="button"
        className="info-tip__button"
        aria-label={label}
        aria-describedby={id}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
        onBlur={() => setOpen(false)}
      >
        i
      </button>
      <span role="tooltip" id={id} className="info-tip__text">
        {children}
      </span>
    </span>
  );
}
