import type { ApiError, ErrorCode } from './types.gen';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_input',
  'unknown_method',
  'no_project_open',
  'not_a_project',
  'already_a_project',
  'corrupt_manifest',
  'store_too_new',
  'not_found',
  'already_exists',
  'permission_denied',
  'unauthorized',
  'cancelled',
  'io',
  'internal',
]);

/** Whether `value` has the shape of an ApiError (`{code, message}` with a known code). */
export function isApiError(value: unknown): value is ApiError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && ERROR_CODES.has(v.code) && typeof v.message === 'string';
}

export function apiError(code: ErrorCode, message: string, details?: unknown): ApiError {
  return details === undefined ? { code, message } : { code, message, details: details as ApiError['details'] };
}

/**
 * Turns anything thrown or rejected into an ApiError, so the UI only ever shows `message`
 * (never a stack trace).
 */
export function toApiError(value: unknown, fallbackCode: ErrorCode = 'internal'): ApiError {
  if (isApiError(value)) return value;
  if (typeof value === 'string') {
    // Tauri rejects with a string for IPC-level failures; it may also be a JSON ApiError.
    try {
      const parsed: unknown = JSON.parse(value);
      if (isApiError(parsed)) return parsed;
    } catch {
      // not JSON
    }
    return apiError(fallbackCode, value || 'Unknown error');
  }
  if (value instanceof Error) return apiError(fallbackCode, value.message || value.name);
  if (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string') {
    return apiError(fallbackCode, (value as { message: string }).message);
  }
  return apiError(fallbackCode, 'Unknown error');
}
