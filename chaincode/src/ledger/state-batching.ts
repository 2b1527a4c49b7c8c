// Fabric 3.1's batched state access, over the pinned fabric-shim (2.5.8), which does not expose it yet
// (fabric-chaincode-node issue 453). A peer that supports it says so in the payload of the READY
// message it sends when the chaincode connects (ChaincodeAdditionalParams: useGetMultipleKeys,
// useWriteBatch and their maximum sizes, from core.yaml's chaincode.runtimeParams). Then:
//   - GET_STATE_MULTIPLE reads many keys in one round trip (GetStateMultiple → GetStateMultipleResult,
//     one value per key, empty for an absent key);
//   - writes are kept in the transaction and sent as WRITE_BATCH_STATE messages just before the
//     transaction completes, instead of one PUT_STATE round trip each.
// Both change only how messages travel: the peer records the same read set (every key read, with its
// version) and the same write set as the per-key calls. A peer that did not advertise them (an older
// Fabric, or runtimeParams switched off) gets the per-key calls, because it would close the stream on a
// message type it does not know.
//
// This module is the only one that reaches into fabric-shim's internals: ChaincodeMessageHandler's
// `chat` (wrapped once, to read READY's payload) and `_askPeerAndListen` (the shim's own per-transaction
// request queue, so these messages are ordered with the stub's). Both exist unchanged in fabric-shim
// 2.5.x; the unit tests pin that.

import { createRequire } from 'node:module';
import { peer } from '@hyperledger/fabric-protos';
import { ErrorCode, VppError } from '../types/errors';

/** What the connected peer accepts: the largest batch of each kind, 0 where it accepts none. */
export interface PeerCapabilities {
  readonly getMultipleKeys: number;
  readonly writeBatch: number;
}

export const PER_KEY_ONLY: PeerCapabilities = { getMultipleKeys: 0, writeBatch: 0 };

/**
 * Message and record types, as numbered in Fabric's peer/chaincode_shim.proto. Spelled out rather than
 * read from the generated enums: google-protobuf registers generated classes in one global namespace,
 * and in a chaincode server the shim's older copy (0.2.x, loaded first) leaves `ChaincodeMessage.Type`
 * without the batch types, whichever copy it is imported from.
 */
export const MESSAGE_TYPE = { READY: 4, WRITE_BATCH_STATE: 24, GET_STATE_MULTIPLE: 25 } as const;
export const WRITE_RECORD_TYPE = { PUT_STATE: 9, DEL_STATE: 10 } as const;

/** The part of fabric-shim's ChaincodeMessageHandler used here. */
export interface ShimHandler {
  _askPeerAndListen(message: peer.ChaincodeMessage, method: string): Promise<unknown>;
}

/** The part of fabric-shim's ChaincodeStub used here (the stub keeps its handler as `handler`). */
export interface BatchingStub {
  readonly handler?: unknown;
  getTxID(): string;
  getChannelID(): string;
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
  deleteState(key: string): Promise<void>;
}

/** What a connection's peer accepts, and the ChaincodeMessage class its stream serialises. */
interface Connection {
  readonly capabilities: PeerCapabilities;
  readonly envelope: EnvelopeClass;
}

type EnvelopeClass = new () => peer.ChaincodeMessage;

const CONNECTIONS = new WeakMap<object, Connection>();

/** Decodes READY's payload; an empty or unreadable payload (a peer before 3.1) means per-key only. */
export function capabilitiesOf(readyPayload: Uint8Array): PeerCapabilities {
  if (readyPayload.length === 0) return PER_KEY_ONLY;
  try {
    const params = peer.ChaincodeAdditionalParams.deserializeBinary(readyPayload);
    return {
      getMultipleKeys: params.getUseGetMultipleKeys() ? params.getMaxSizeGetMultipleKeys() : 0,
      writeBatch: params.getUseWriteBatch() ? params.getMaxSizeWriteBatch() : 0,
    };
  } catch {
    return PER_KEY_ONLY;
  }
}

/**
 * Records what the peer behind `handler` accepts (the chat wrapper does it; tests call it directly).
 * `envelope` is the class of the messages the stream carries: the shim's stream refuses (`instanceof`)
 * any other, and google-protobuf's generated code registers its classes in one global namespace, so
 * with two fabric-protos copies loaded (the shim's 0.2.x and this project's, which has the batch
 * messages) the class a `require` returns, or the class of a decoded message, depends on load order.
 */
export function rememberCapabilities(
  handler: object,
  capabilities: PeerCapabilities,
  envelope: EnvelopeClass = peer.ChaincodeMessage,
): void {
  CONNECTIONS.set(handler, { capabilities, envelope });
}

function connectionOf(stub: BatchingStub): Connection | undefined {
  const handler = stub.handler;
  return typeof handler === 'object' && handler !== null ? CONNECTIONS.get(handler) : undefined;
}

function capabilitiesOfStub(stub: BatchingStub): PeerCapabilities {
  return connectionOf(stub)?.capabilities ?? PER_KEY_ONLY;
}

interface ChattingHandler {
  _stream: {
    on(event: 'data', listener: (message: peer.ChaincodeMessage) => void): void;
    removeListener(event: 'data', listener: (message: peer.ChaincodeMessage) => void): void;
  };
}

interface HandlerClass {
  prototype: { chat(this: ChattingHandler, start: unknown): void };
}

const WRAPPED = new WeakSet<HandlerClass>();

/**
 * Wraps fabric-shim's ChaincodeMessageHandler.chat (once per process) so that every connection to a
 * peer listens for the peer's READY message and remembers the capabilities it carries.
 */
export function capturePeerCapabilities(
  handlerClass: HandlerClass = loadShimHandlerClass(),
  envelope: EnvelopeClass = shimEnvelopeClass(),
): void {
  if (WRAPPED.has(handlerClass)) return;
  WRAPPED.add(handlerClass);
  const chat = handlerClass.prototype.chat;
  handlerClass.prototype.chat = function chatRecordingCapabilities(this: ChattingHandler, start: unknown) {
    // READY comes once per connection; the listener leaves with it, off the per-message path.
    const onMessage = (message: peer.ChaincodeMessage) => {
      if (message.getType() !== MESSAGE_TYPE.READY) return;
      rememberCapabilities(this, capabilitiesOf(message.getPayload_asU8()), envelope);
      this._stream.removeListener('data', onMessage);
    };
    this._stream.on('data', onMessage);
    chat.call(this, start);
  };
}

function loadShimHandlerClass(): HandlerClass {
  const load = createRequire(__filename);
  return (load('fabric-shim/lib/handler') as { ChaincodeMessageHandler: HandlerClass })
    .ChaincodeMessageHandler;
}

interface StreamService {
  ChaincodeService: { connect: { responseSerialize(message: unknown): Buffer } };
}

/**
 * The ChaincodeMessage class that fabric-shim's gRPC stream serialises, found by asking its own
 * serialiser (which refuses any other class): the class exported by the shim's fabric-protos copy, or
 * failing that this project's.
 */
export function shimEnvelopeClass(): EnvelopeClass {
  const load = createRequire(createRequire(__filename).resolve('fabric-shim/lib/handler'));
  const serialize = (load('@hyperledger/fabric-protos/lib/peer/chaincode_shim_grpc_pb.js') as StreamService)
    .ChaincodeService.connect.responseSerialize;
  const candidates = [
    (load('@hyperledger/fabric-protos/lib/peer/chaincode_shim_pb.js') as { ChaincodeMessage: EnvelopeClass })
      .ChaincodeMessage,
    peer.ChaincodeMessage,
  ];
  for (const candidate of candidates) {
    try {
      serialize(new candidate());
      return candidate;
    } catch {
      // not the class the stream checks for
    }
  }
  throw new Error("found no ChaincodeMessage class that fabric-shim's stream accepts");
}

function messageOf(stub: BatchingStub, type: number, payload: Uint8Array): peer.ChaincodeMessage {
  const message = new (connectionOf(stub)?.envelope ?? peer.ChaincodeMessage)();
  message.setType(type as peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap]);
  message.setPayload(payload);
  message.setTxid(stub.getTxID());
  message.setChannelId(stub.getChannelID());
  return message;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The values of `keys` (empty bytes for an absent key), in order: in batches of the peer's maximum
 * where it reads many keys at once, else one GET_STATE per key.
 */
export async function getStates(stub: BatchingStub, keys: readonly string[]): Promise<Uint8Array[]> {
  const { getMultipleKeys } = capabilitiesOfStub(stub);
  const handler = stub.handler as ShimHandler;
  if (getMultipleKeys === 0 || keys.length < 2) {
    const values: Uint8Array[] = [];
    for (const key of keys) values.push(await stub.getState(key));
    return values;
  }
  const values: Uint8Array[] = [];
  for (const part of chunks(keys, getMultipleKeys)) {
    const request = new peer.GetStateMultiple();
    request.setKeysList(part);
    request.setCollection('');
    const answer = (await handler._askPeerAndListen(
      messageOf(stub, MESSAGE_TYPE.GET_STATE_MULTIPLE, request.serializeBinary()),
      'GetStateMultiple',
    )) as Uint8Array;
    const got = peer.GetStateMultipleResult.deserializeBinary(answer).getValuesList_asU8();
    if (got.length !== part.length)
      throw new VppError(
        ErrorCode.INTERNAL,
        `the peer returned ${got.length} values for ${part.length} keys`,
      );
    values.push(...got);
  }
  return values;
}

/** Writes of one transaction not yet sent; `undefined` marks a deletion. Keyed by the stub. */
const PENDING = new WeakMap<object, Map<string, Uint8Array | undefined>>();

/**
 * Writes `value` (or deletes, for undefined): kept until flushWrites where the peer takes write
 * batches, else sent now. Keeping it changes nothing the transaction can see: Fabric's reads return
 * the committed state, never the transaction's own writes.
 */
export async function setState(
  stub: BatchingStub,
  key: string,
  value: Uint8Array | undefined,
): Promise<void> {
  if (capabilitiesOfStub(stub).writeBatch === 0) {
    if (value === undefined) await stub.deleteState(key);
    else await stub.putState(key, value);
    return;
  }
  let pending = PENDING.get(stub);
  if (pending === undefined) {
    pending = new Map();
    PENDING.set(stub, pending);
  }
  // The last write of a key wins, as in the peer's own write set.
  pending.delete(key);
  pending.set(key, value);
}

/** Sends the transaction's kept writes, in the order last written, in batches of the peer's maximum. */
export async function flushWrites(stub: BatchingStub): Promise<void> {
  const pending = PENDING.get(stub);
  if (pending === undefined || pending.size === 0) return;
  PENDING.delete(stub);
  const handler = stub.handler as ShimHandler;
  for (const part of chunks([...pending], capabilitiesOfStub(stub).writeBatch)) {
    const batch = new peer.WriteBatchState();
    batch.setRecList(
      part.map(([key, value]) => {
        const record = new peer.WriteRecord();
        record.setKey(key);
        record.setCollection('');
        if (value === undefined) record.setType(WRITE_RECORD_TYPE.DEL_STATE);
        else {
          record.setType(WRITE_RECORD_TYPE.PUT_STATE);
          record.setValue(value);
        }
        return record;
      }),
    );
    await handler._askPeerAndListen(
      messageOf(stub, MESSAGE_TYPE.WRITE_BATCH_STATE, batch.serializeBinary()),
      'WriteBatchState',
    );
  }
}
