import type { ApiError } from '../api/types.gen';
import { CloseIcon } from './icons';

export interface ErrorItem {
  id: number;
  error: ApiError;
  /** How many times the same message came. */
  count: number;
}

export function ErrorBanner({ errors, onDismiss }: { errors: ErrorItem[]; onDismiss: (id: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="toasts" data-testid="error-banner" role="alert" aria-live="assertive">
      {errors.map(({ id, error, count }) => (
        <div key={id} className="toast" data-code={error.code}>
          <div className="toast-text">
            <span className="toast-message">{error.message}</span>
            {count > 1 && <span className="toast-count">×{count}</span>}
          </div>
          <button type="button" className="icon-button small" aria-label="Dismiss error" onClick={() => onDismiss(id)}>
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
