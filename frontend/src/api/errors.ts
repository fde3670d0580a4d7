import type { Problem } from './types';

export interface ErrorBody {
  error: string;
  detail: string;
  fields?: Record<string, string>;
  problems?: Problem[] | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly problems: Problem[];

  constructor(status: number, body: Partial<ErrorBody> | null) {
    super(body?.detail || body?.error || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error ?? 'http_error';
    this.fields = body?.fields ?? {};
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
  let parsed: unknown = null;
  try {
    parsed = await response.clone().json();
  } catch {
    parsed = null;
  }
  return new ApiError(response.status, normalizeErrorBody(parsed));
}
