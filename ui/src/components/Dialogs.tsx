import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';

export interface PromptOptions {
  title: string;
  label: string;
  placeholder?: string;
  initial?: string;
  help?: string;
  confirmLabel?: string;
}

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel?: string;
  danger?: boolean;
}

export interface Dialogs {
  /** Asks for one line of text; null when cancelled. */
  prompt(options: PromptOptions): Promise<string | null>;
  /** Asks yes or no. */
  confirm(options: ConfirmOptions): Promise<boolean>;
}

type Open =
  | ({ kind: 'prompt'; resolve: (v: string | null) => void } & PromptOptions)
  | ({ kind: 'confirm'; resolve: (v: boolean) => void } & ConfirmOptions);

const DialogsContext = createContext<Dialogs | null>(null);

export function useDialogs(): Dialogs {
  const d = useContext(DialogsContext);
  if (!d) throw new Error('useDialogs must be used inside <DialogsProvider>');
  return d;
}

/** A modal dialog: overlay, focus on open, Escape closes. */
export function Modal({
  title,
  onClose,
  children,
  footer,
  onSubmit,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer: ReactNode;
  onSubmit?: () => void;
  /** Extra class on the dialog (a wider form). */
  className?: string;
}) {
  const titleId = useId();
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    const el = ref.current?.querySelector<HTMLElement>('input, [data-autofocus], button.primary');
    el?.focus();
  }, []);
  return (
    <div className="modal-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        ref={ref}
        className={className ? `modal ${className}` : 'modal'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit?.();
        }}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <div className="modal-body">{children}</div>
        <div className="modal-footer">{footer}</div>
      </form>
    </div>
  );
}

function PromptDialog({ open, close }: { open: Extract<Open, { kind: 'prompt' }>; close: () => void }) {
  const [value, setValue] = useState(open.initial ?? '');
  const inputId = useId();
  const cancel = () => {
    open.resolve(null);
    close();
  };
  const submit = () => {
    const v = value.trim();
    if (!v) return;
    open.resolve(v);
    close();
  };
  return (
    <Modal
      title={open.title}
      onClose={cancel}
      onSubmit={submit}
      footer={
        <>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!value.trim()}>
            {open.confirmLabel ?? 'OK'}
          </button>
        </>
      }
    >
      <label htmlFor={inputId} className="field-label">
        {open.label}
      </label>
      <input
        id={inputId}
        className="text-input mono"
        value={value}
        placeholder={open.placeholder}
        onChange={(e) => setValue(e.target.value)}
        spellCheck={false}
        autoComplete="off"
      />
      {open.help && <p className="field-help">{open.help}</p>}
    </Modal>
  );
}

function ConfirmDialog({ open, close }: { open: Extract<Open, { kind: 'confirm' }>; close: () => void }) {
  const answer = (v: boolean) => {
    open.resolve(v);
    close();
  };
  return (
    <Modal
      title={open.title}
      onClose={() => answer(false)}
      onSubmit={() => answer(true)}
      footer={
        <>
          <button type="button" onClick={() => answer(false)}>
            Cancel
          </button>
          <button type="submit" className={open.danger ? 'primary danger' : 'primary'}>
            {open.confirmLabel ?? 'OK'}
          </button>
        </>
      }
    >
      <p>{open.message}</p>
    </Modal>
  );
}

export function DialogsProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState<Open | null>(null);
  const current = useRef<Open | null>(null);

  const show = useCallback((next: Open) => {
    // One dialog at a time: a new one cancels the one showing.
    const prev = current.current;
    if (prev) {
      if (prev.kind === 'prompt') prev.resolve(null);
      else prev.resolve(false);
    }
    current.current = next;
    setOpen(next);
  }, []);

  const close = useCallback(() => {
    current.current = null;
    setOpen(null);
  }, []);

  const dialogs = useMemo<Dialogs>(
    () => ({
      prompt: (options) => new Promise((resolve) => show({ kind: 'prompt', resolve, ...options })),
      confirm: (options) => new Promise((resolve) => show({ kind: 'confirm', resolve, ...options })),
    }),
    [show],
  );

  return (
    <DialogsContext.Provider value={dialogs}>
      {children}
      {open?.kind === 'prompt' && <PromptDialog key={open.title} open={open} close={close} />}
      {open?.kind === 'confirm' && <ConfirmDialog open={open} close={close} />}
    </DialogsContext.Provider>
  );
}
