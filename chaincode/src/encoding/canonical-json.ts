// The only place where JSON meets bytes. Every endorsing peer must produce byte-identical write sets
// for the same transaction, so serialisation is canonical: object keys sorted recursively (by UTF-16
// code units, as RFC 8785 does), arrays kept in order, no whitespace, and anything JSON cannot
// represent faithfully is rejected instead of being silently coerced by JSON.stringify.

import { ErrorCode, VppError } from '../types/errors';

export type JsonPrimitive = null | boolean | number | string;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Guards the recursion against hostile or accidental deeply nested input. */
export const MAX_DEPTH = 64;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(path: string, problem: string): never {
  throw new VppError(ErrorCode.INVALID_ARGUMENT, `cannot serialise ${path}: ${problem}`);
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, path: string, depth: number, seen: Set<object>): string {
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        fail(path, `non-finite number ${String(value)}`);
      }
      // JSON.stringify prints -0 as 0, which is what we want on the ledger.
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      fail(path, `unsupported type ${typeof value}`);
  }
  if (depth >= MAX_DEPTH) {
    fail(path, `nesting deeper than ${MAX_DEPTH}`);
  }
  if (seen.has(value)) {
    fail(path, 'circular reference');
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      const items = value.map((item: unknown, i) => {
        // JSON.stringify would turn a hole or undefined into null; that changes meaning, so refuse.
        if (item === undefined) {
          fail(`${path}[${i}]`, 'undefined array element');
        }
        return write(item, `${path}[${i}]`, depth + 1, seen);
      });
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(value)) {
      fail(path, `not a plain object (${value.constructor?.name ?? 'unknown'})`);
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const member = record[key];
      if (member === undefined) {
        continue; // optional fields that are absent simply do not appear
      }
      members.push(`${JSON.stringify(key)}:${write(member, `${path}.${key}`, depth + 1, seen)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}

/** Canonical JSON text of `value`; throws VppError INVALID_ARGUMENT if it is not representable. */
export function toCanonicalJson(value: unknown): string {
  if (value === undefined) {
    fail('value', 'undefined');
  }
  return write(value, 'value', 0, new Set());
}

/** Canonical JSON as UTF-8 bytes, ready for putState / setEvent. */
export function encode(value: unknown): Uint8Array {
  return Buffer.from(toCanonicalJson(value), 'utf8');
}

/** Parses JSON text (e.g. a transaction argument); throws VppError INVALID_ARGUMENT on bad syntax. */
export function parseJson(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (err) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `malformed JSON: ${(err as Error).message}`);
  }
}

/**
 * Parses a transaction argument that must be JSON text of at most `maxLength` characters; anything
 * longer is refused before it is parsed (INVALID_ARGUMENT naming `what`).
 */
export function parseJsonArgument(json: string, what: string, maxLength: number): JsonValue {
  if (typeof json !== 'string' || json.length > maxLength) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `${what} must be JSON text of at most ${maxLength} characters`,
    );
  }
  return parseJson(json);
}

/** Decodes UTF-8 JSON bytes; invalid UTF-8 is rejected rather than replaced with U+FFFD. */
export function decode(bytes: Uint8Array): JsonValue {
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'malformed JSON: bytes are not valid UTF-8');
  }
  return parseJson(text);
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
