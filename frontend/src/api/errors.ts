import type { Problem } from './types';

export interface ErrorBody {
  error: string;
  detail: string;
  fields?: Record<string, string>;
  /** The rule each field breaks, as a code to translate by (`fieldRules.<code>`). */
  rules?: Record<string, string>;
  /** The numbers a field's rule names (`max_length`, `min_length`, `ge`, `max_bytes`…). */
  limits?: Record<string, Record<string, number | string>>;
  problems?: Problem[] | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly rules: Record<string, string>;
  readonly limits: Record<string, Record<string, number | string>>;
  readonly problems: Problem[];

  constructor(status: number, body: Partial<ErrorBody> | null) {
    super(body?.detail || body?.error || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.fields = body?.fields ?? {};
    this.rules = body?.rules ?? {};
    this.limits = body?.limits ?? {};
    this.problems = body?.problems ?? [];
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Reads any error payload into the API's error shape. */
export function normalizeErrorBody(parsed: unknown): Partial<ErrorBody> | null {
  if (!parsed || typeof parsed !== 'object') return null;
  const obj = parsed as Record<string, unknown>;
  if (typeof obj.error === 'string') return obj as Partial<ErrorBody>;
  if (typeof obj.detail === 'string') return { error: 'http_error', detail: obj.detail };
  return null;
}

export async function errorFromResponse(response: Response): Promise<ApiError> {
  let parsed: unknown;
  try {
    parsed = await response.clone().json();
  } catch {
    parsed = null;
  }
  return new ApiError(response.status, normalizeErrorBody(parsed));
}
