/** The one error type routes throw; the app's error handler turns it into `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly txId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The wire shape of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; txId?: string };
}

export function errorBody(err: ApiError): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details === undefined ? {} : { details: err.details }),
      ...(err.txId === undefined ? {} : { txId: err.txId }),
    },
  };
}

export const unauthorized = (code: string, message: string) => new ApiError(401, code, message);
export const forbidden = (message: string) => new ApiError(403, 'FORBIDDEN', message);
