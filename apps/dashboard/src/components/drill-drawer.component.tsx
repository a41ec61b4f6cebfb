import { useEffect, useRef, type ReactNode } from 'react';

/** The modal dialog a drill-down opens in over its page; Escape, backdrop and Close all call onClose. */
export function DrillDrawer({
  title,
  subtitle,
  onClose,
  children,
}: {
  title: string;
  subtitle: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="drawer"
      aria-labelledby="drill-title"
      data-testid="drill-down"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === dialog.current) onClose();
      }}
    >
      <div className="drawer__inner">
        <header className="drawer__head">
          <div>
            <h2 id="drill-title">{title}</h2>
            <p className="muted small">{subtitle}</p>
          </div>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={onClose}
            data-testid="drill-close"
            autoFocus
          >
            Close
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
