// One error type for every expected failure. `message` and the values of `fields` are
// message-catalogue keys (or plain text); the HTTP layer translates them to the caller's
// language and answers {"error":{"code","message","fields"}}.
export type FieldErrors = Record<string, string>;

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly fields?: FieldErrors,
    public readonly params?: Record<string, string | number>,
    /** Seconds for the Retry-After header of a 429 (default 60). */
    public readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, fields?: FieldErrors, params?: Record<string, string | number>) =>
  new HttpError(400, 'bad_request', message, fields, params);
export const validationError = (fields: FieldErrors) => new HttpError(400, 'validation', 'err.validation', fields);
export const unauthorized = (message = 'err.unauthorized') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'err.forbidden') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'err.not_found') => new HttpError(404, 'not_found', message);
export const conflict = (message: string, fields?: FieldErrors, params?: Record<string, string | number>) =>
  new HttpError(409, 'conflict', message, fields, params);
export const tooMany = (message: string, params?: Record<string, string | number>, retryAfter?: number) =>
  new HttpError(429, 'too_many_requests', message, undefined, params, retryAfter);
