/** Shapes every area shares: the error body. */
export const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable UPPER_SNAKE code' },
        message: { type: 'string' },
        details: {},
        txId: { type: 'string' },
      },
    },
  },
} as const;

/** Error responses documented on a route (4xx/5xx all share ErrorSchema). */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema]));
}
