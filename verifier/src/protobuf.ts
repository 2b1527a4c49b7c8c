// A minimal reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/),
// hand-written so that an auditor can read every line the verifier relies on. It splits a message
// into its fields by number and leaves their meaning to the decoders in fabric-messages.ts.
//
// Every read is bounds-checked and every loop advances by at least one byte, so malformed input ends
// in a ProtobufError: never an out-of-bounds read, never an endless loop.

/** Malformed protobuf input (truncated, overlong varint, wrong wire type …). */
export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** One occurrence of a field: a varint's value, or the raw bytes of the other wire types. */
export type WireField =
  | { readonly wireType: typeof WIRE_VARINT; readonly varint: bigint }
  | {
      readonly wireType: typeof WIRE_FIXED64 | typeof WIRE_LENGTH_DELIMITED | typeof WIRE_FIXED32;
      readonly bytes: Uint8Array;
    };

/** A decoded message: every occurrence of every field, in the order they appear, by field number. */
export type ProtoMessage = ReadonlyMap<number, readonly WireField[]>;

/** A varint is at most 10 bytes (64 bits, 7 per byte); the 10th may carry only the top bit. */
const MAX_VARINT_BYTES = 10;
const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_FIELD_NUMBER = (1 << 29) - 1;

/** Reads the varint at `offset`; returns its value and the offset after it. */
export function readVarint(bytes: Uint8Array, offset: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const at = offset + i;
    if (at >= bytes.length) throw new ProtobufError(`truncated varint at byte ${offset}`);
    const byte = bytes[at] ?? 0;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      if (value > MAX_UINT64) throw new ProtobufError(`varint at byte ${offset} exceeds 64 bits`);
      return { value, next: at + 1 };
    }
  }
  throw new ProtobufError(`overlong varint at byte ${offset} (more than ${MAX_VARINT_BYTES} bytes)`);
}

function take(bytes: Uint8Array, offset: number, length: number, what: string): Uint8Array {
  if (length > bytes.length - offset) throw new ProtobufError(`truncated ${what} at byte ${offset}`);
  return bytes.subarray(offset, offset + length);
}

/** Splits `bytes` into its fields. Groups (wire types 3 and 4, deprecated) are refused. */
export function parseMessage(bytes: Uint8Array): ProtoMessage {
  const fields = new Map<number, WireField[]>();
  let offset = 0;
  while (offset < bytes.length) {
    const tag = readVarint(bytes, offset);
    offset = tag.next;
    const wireType = Number(tag.value & 7n);
    const fieldNumber = tag.value >> 3n;
    if (fieldNumber < 1n || fieldNumber > BigInt(MAX_FIELD_NUMBER)) {
      throw new ProtobufError(`invalid field number ${fieldNumber} at byte ${offset}`);
    }
    let field: WireField;
    switch (wireType) {
      case WIRE_VARINT: {
        const v = readVarint(bytes, offset);
        offset = v.next;
        field = { wireType, varint: v.value };
        break;
      }
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const width = wireType === WIRE_FIXED64 ? 8 : 4;
        field = { wireType, bytes: take(bytes, offset, width, 'fixed-width field') };
        offset += width;
        break;
      }
      case WIRE_LENGTH_DELIMITED: {
        const length = readVarint(bytes, offset);
        offset = length.next;
        if (length.value > BigInt(bytes.length - offset)) {
          throw new ProtobufError(`length ${length.value} overruns the message at byte ${offset}`);
        }
        const n = Number(length.value);
        field = { wireType, bytes: take(bytes, offset, n, 'length-delimited field') };
        offset += n;
        break;
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType} for field ${fieldNumber}`);
    }
    const key = Number(fieldNumber);
    const list = fields.get(key);
    if (list === undefined) fields.set(key, [field]);
    else list.push(field);
  }
  return fields;
}

// ---- typed access to fields. A missing field is its proto3 default; for a repeated occurrence of
// a singular field the last one wins, as protobuf parsers do.

function occurrences(message: ProtoMessage, field: number): readonly WireField[] {
  return message.get(field) ?? [];
}

function lastOf(message: ProtoMessage, field: number): WireField | undefined {
  const list = occurrences(message, field);
  return list[list.length - 1];
}

function asBytes(field: WireField, fieldNumber: number): Uint8Array {
  if (field.wireType !== WIRE_LENGTH_DELIMITED) {
    throw new ProtobufError(
      `field ${fieldNumber}: expected length-delimited, got wire type ${field.wireType}`,
    );
  }
  return field.bytes;
}

function asVarint(field: WireField, fieldNumber: number): bigint {
  if (field.wireType !== WIRE_VARINT) {
    throw new ProtobufError(`field ${fieldNumber}: expected a varint, got wire type ${field.wireType}`);
  }
  return field.varint;
}

/** A bytes (or embedded message) field; empty when absent. */
export function bytesField(message: ProtoMessage, field: number): Uint8Array {
  const last = lastOf(message, field);
  return last === undefined ? new Uint8Array() : asBytes(last, field);
}

/** Whether a field occurs at all (to tell an absent embedded message from an empty one). */
export function hasField(message: ProtoMessage, field: number): boolean {
  return occurrences(message, field).length > 0;
}

/** Every occurrence of a repeated bytes / message field, in order. */
export function repeatedBytesField(message: ProtoMessage, field: number): Uint8Array[] {
  return occurrences(message, field).map((f) => asBytes(f, field));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string field; invalid UTF-8 is an error (protobuf requires strings to be UTF-8). */
export function stringField(message: ProtoMessage, field: number): string {
  try {
    return utf8.decode(bytesField(message, field));
  } catch (error) {
    if (error instanceof ProtobufError) throw error;
    throw new ProtobufError(`field ${field}: invalid UTF-8`);
  }
}

/** A uint64 / uint32 / enum field as a bigint; 0 when absent. */
export function uint64Field(message: ProtoMessage, field: number): bigint {
  const last = lastOf(message, field);
  return last === undefined ? 0n : asVarint(last, field);
}

/** A uint64 field that must fit a JS number exactly (block numbers, counts). */
export function safeUintField(message: ProtoMessage, field: number): number {
  const value = uint64Field(message, field);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProtobufError(`field ${field}: ${value} exceeds the safe integer range`);
  }
  return Number(value);
}

/** An int32 / int64 / enum field: negative values are sign-extended to 64 bits on the wire. */
export function int64Field(message: ProtoMessage, field: number): bigint {
  return BigInt.asIntN(64, uint64Field(message, field));
}

/** An int32 / enum field as a number (out-of-range values are an error). */
export function int32Field(message: ProtoMessage, field: number): number {
  const value = int64Field(message, field);
  if (value < -(2n ** 31n) || value >= 2n ** 31n) {
    throw new ProtobufError(`field ${field}: ${value} is not an int32`);
  }
  return Number(value);
}

/** A bool field: a varint that must be 0 or 1. */
export function boolField(message: ProtoMessage, field: number): boolean {
  const value = uint64Field(message, field);
  if (value > 1n) throw new ProtobufError(`field ${field}: ${value} is not a bool`);
  return value === 1n;
}

/**
 * A map<string, bytes/message> field: on the wire, repeated entries {1: key, 2: value}. A repeated
 * key keeps the last value, as protobuf parsers do.
 */
export function mapField(message: ProtoMessage, field: number): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>();
  for (const entry of repeatedBytesField(message, field)) {
    const parsed = parseMessage(entry);
    map.set(stringField(parsed, 1), bytesField(parsed, 2));
  }
  return map;
}
