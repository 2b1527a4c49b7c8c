// Server-Sent Events framing (WHATWG HTML, "Server-sent events"): one field per line, an empty line
// ends a message, data spanning several lines is split into several `data:` fields.

export interface SseMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

const NEWLINES = /\r\n|\r|\n/;

function singleLine(field: string, value: string): string {
  if (NEWLINES.test(value)) throw new Error(`SSE ${field} must be a single line`);
  return value;
}

export function formatSseMessage(message: SseMessage): string {
  const lines: string[] = [];
  if (message.event !== undefined) lines.push(`event: ${singleLine('event', message.event)}`);
  if (message.id !== undefined) lines.push(`id: ${singleLine('id', message.id)}`);
  for (const line of message.data.split(NEWLINES)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** A comment line: ignored by clients, keeps proxies and load balancers from closing an idle stream. */
export function formatSseComment(text: string): string {
  return `: ${singleLine('comment', text)}\n\n`;
}

/** Tells the client how long to wait before reconnecting, in milliseconds. */
export function formatSseRetry(milliseconds: number): string {
  return `retry: ${Math.max(0, Math.floor(milliseconds))}\n\n`;
}
