import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { peer } from '@hyperledger/fabric-protos';
import {
  capabilitiesOf,
  capturePeerCapabilities,
  flushWrites,
  getStates,
  MESSAGE_TYPE,
  PER_KEY_ONLY,
  WRITE_RECORD_TYPE,
  rememberCapabilities,
  setState,
  type BatchingStub,
  type PeerCapabilities,
} from '../../../../chaincode/src/ledger/state-batching';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { vppError } from '../../../support/vpp-assert';

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

function readyPayload(params: { write: boolean; writeMax: number; get: boolean; getMax: number }) {
  const message = new peer.ChaincodeAdditionalParams();
  message.setUseWriteBatch(params.write);
  message.setMaxSizeWriteBatch(params.writeMax);
  message.setUseGetMultipleKeys(params.get);
  message.setMaxSizeGetMultipleKeys(params.getMax);
  return message.serializeBinary();
}

/**
 * A peer as the chaincode sees it, over fabric-shim's request queue (`_askPeerAndListen`): answers
 * GET_STATE_MULTIPLE from `state` and applies WRITE_BATCH_STATE to it, recording every message; the
 * stub's per-key calls are recorded too.
 */
class FakePeer {
  readonly messages: { type: number; txId: string; channel: string; keys: string[] }[] = [];
  readonly perKey: string[] = [];
  readonly state = new Map<string, Uint8Array>();
  /** Values to drop from the next GET_STATE_MULTIPLE answer (a misbehaving peer). */
  dropValues = 0;

  async _askPeerAndListen(message: peer.ChaincodeMessage, _method: string): Promise<unknown> {
    const type = message.getType();
    const base = { type, txId: message.getTxid(), channel: message.getChannelId() };
    if (type === peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE) {
      const keys = peer.GetStateMultiple.deserializeBinary(message.getPayload_asU8()).getKeysList();
      this.messages.push({ ...base, keys });
      const answer = new peer.GetStateMultipleResult();
      const values = keys.map((key) => this.state.get(key) ?? new Uint8Array());
      answer.setValuesList(values.slice(0, values.length - this.dropValues));
      return Buffer.from(answer.serializeBinary());
    }
    if (type === peer.ChaincodeMessage.Type.WRITE_BATCH_STATE) {
      const records = peer.WriteBatchState.deserializeBinary(message.getPayload_asU8()).getRecList();
      this.messages.push({ ...base, keys: records.map((r) => r.getKey()) });
      for (const record of records) {
        if (record.getType() === peer.WriteRecord.Type.DEL_STATE) this.state.delete(record.getKey());
        else this.state.set(record.getKey(), record.getValue_asU8());
      }
      return Buffer.alloc(0);
    }
    throw new Error(`unexpected message type ${type}`);
  }

  stub(txId = 'tx1'): BatchingStub {
    return {
      handler: this,
      getTxID: () => txId,
      getChannelID: () => 'vppchannel',
      getState: async (key) => {
        this.perKey.push(`get ${key}`);
        return this.state.get(key) ?? new Uint8Array();
      },
      putState: async (key, value) => {
        this.perKey.push(`put ${key}`);
        this.state.set(key, value);
      },
      deleteState: async (key) => {
        this.perKey.push(`del ${key}`);
        this.state.delete(key);
      },
    };
  }
}

function fakePeer(capabilities: PeerCapabilities): FakePeer {
  const fake = new FakePeer();
  rememberCapabilities(fake, capabilities);
  return fake;
}

const BATCHING: PeerCapabilities = { getMultipleKeys: 3, writeBatch: 2 };

describe('ledger/state-batching', () => {
  it('should number message and record types as Fabric does', () => {
    assert.deepEqual(MESSAGE_TYPE, {
      READY: peer.ChaincodeMessage.Type.READY,
      WRITE_BATCH_STATE: peer.ChaincodeMessage.Type.WRITE_BATCH_STATE,
      GET_STATE_MULTIPLE: peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE,
    });
    assert.deepEqual(WRITE_RECORD_TYPE, {
      PUT_STATE: peer.WriteRecord.Type.PUT_STATE,
      DEL_STATE: peer.WriteRecord.Type.DEL_STATE,
    });
  });

  describe('#capabilitiesOf', () => {
    it('should read the maximum sizes a Fabric 3.1 peer sends with READY', () => {
      assert.deepEqual(
        capabilitiesOf(readyPayload({ write: true, writeMax: 1000, get: true, getMax: 500 })),
        {
          getMultipleKeys: 500,
          writeBatch: 1000,
        },
      );
    });

    it('should treat a switched-off capability as absent whatever its size', () => {
      assert.deepEqual(capabilitiesOf(readyPayload({ write: false, writeMax: 1000, get: true, getMax: 7 })), {
        getMultipleKeys: 7,
        writeBatch: 0,
      });
    });

    it('should fall back to per-key calls for the empty READY of an older peer, or an unreadable one', () => {
      assert.deepEqual(capabilitiesOf(new Uint8Array()), PER_KEY_ONLY);
      assert.deepEqual(capabilitiesOf(Uint8Array.from([0xff, 0xff, 0xff])), PER_KEY_ONLY);
    });
  });

  describe('#getStates', () => {
    it('should read keys in batches of the peer maximum, in order, empty for absent keys', async () => {
      const fake = fakePeer(BATCHING);
      for (const key of ['a', 'c', 'e']) fake.state.set(key, bytes(`value ${key}`));
      const values = await getStates(fake.stub('tx7'), ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(values.map(text), ['value a', '', 'value c', '', 'value e']);
      assert.deepEqual(fake.messages, [
        {
          type: peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE,
          txId: 'tx7',
          channel: 'vppchannel',
          keys: ['a', 'b', 'c'],
        },
        {
          type: peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE,
          txId: 'tx7',
          channel: 'vppchannel',
          keys: ['d', 'e'],
        },
      ]);
      assert.deepEqual(fake.perKey, []);
    });

    it('should read one key at a time from a peer that did not advertise GET_STATE_MULTIPLE', async () => {
      const fake = fakePeer({ getMultipleKeys: 0, writeBatch: 2 });
      fake.state.set('a', bytes('value a'));
      const values = await getStates(fake.stub(), ['a', 'b']);
      assert.deepEqual(values.map(text), ['value a', '']);
      assert.deepEqual(fake.perKey, ['get a', 'get b']);
      assert.deepEqual(fake.messages, []);
    });

    it('should read one key at a time through a stub whose peer is unknown (no capabilities seen)', async () => {
      const unknown = new FakePeer();
      unknown.state.set('k', bytes('v'));
      assert.deepEqual((await getStates(unknown.stub(), ['k', 'x'])).map(text), ['v', '']);
      assert.deepEqual(unknown.perKey, ['get k', 'get x']);
    });

    it('should refuse an answer with fewer values than keys as INTERNAL', async () => {
      const fake = fakePeer(BATCHING);
      fake.dropValues = 1;
      await assert.rejects(getStates(fake.stub(), ['a', 'b']), vppError(ErrorCode.INTERNAL));
    });
  });

  describe('#setState and #flushWrites', () => {
    it('should keep writes until the flush, then send them in batches, the last write of a key winning', async () => {
      const fake = fakePeer(BATCHING);
      fake.state.set('gone', bytes('old'));
      const stub = fake.stub('tx9');
      await setState(stub, 'a', bytes('1'));
      await setState(stub, 'b', bytes('2'));
      await setState(stub, 'a', bytes('3'));
      await setState(stub, 'gone', undefined);
      assert.equal(fake.messages.length, 0, 'nothing is sent before the flush');
      assert.equal(text(fake.state.get('gone') ?? new Uint8Array()), 'old');
      await flushWrites(stub);
      assert.deepEqual(
        fake.messages.map((m) => [m.type, m.txId, m.keys]),
        [
          [peer.ChaincodeMessage.Type.WRITE_BATCH_STATE, 'tx9', ['b', 'a']],
          [peer.ChaincodeMessage.Type.WRITE_BATCH_STATE, 'tx9', ['gone']],
        ],
      );
      assert.deepEqual([...fake.state.entries()].map(([k, v]) => [k, text(v)]).sort(), [
        ['a', '3'],
        ['b', '2'],
      ]);
      assert.deepEqual(fake.perKey, []);
      await flushWrites(stub);
      assert.equal(fake.messages.length, 2, 'a second flush sends nothing');
    });

    it('should keep the writes of concurrent transactions apart', async () => {
      const fake = fakePeer(BATCHING);
      const first = fake.stub('t1');
      const second = fake.stub('t2');
      await setState(first, 'x', bytes('1'));
      await setState(second, 'y', bytes('2'));
      await flushWrites(second);
      assert.deepEqual(
        fake.messages.map((m) => [m.txId, m.keys]),
        [['t2', ['y']]],
      );
      await flushWrites(first);
      assert.deepEqual(
        fake.messages.map((m) => [m.txId, m.keys]),
        [
          ['t2', ['y']],
          ['t1', ['x']],
        ],
      );
    });

    it('should write at once, key by key, to a peer that takes no write batches', async () => {
      const fake = fakePeer({ getMultipleKeys: 3, writeBatch: 0 });
      fake.state.set('gone', bytes('old'));
      const stub = fake.stub();
      await setState(stub, 'a', bytes('1'));
      await setState(stub, 'gone', undefined);
      assert.deepEqual(fake.perKey, ['put a', 'del gone']);
      await flushWrites(stub);
      assert.deepEqual(fake.messages, []);
      assert.deepEqual([...fake.state.keys()], ['a']);
    });
  });

  describe('#capturePeerCapabilities', () => {
    it('should remember what READY carries for the handler whose stream received it', () => {
      /** The class of the messages this stream carries (a subclass, to tell it from the default). */
      class StreamMessage extends peer.ChaincodeMessage {}
      const started: unknown[] = [];
      class FakeHandler {
        readonly _stream = new EventEmitter();
        chat(start: unknown): void {
          started.push(start);
        }
      }
      capturePeerCapabilities(FakeHandler, StreamMessage);
      const handler = new FakeHandler();
      handler.chat('register');
      assert.deepEqual(started, ['register'], 'the original chat still runs');
      const ready = new peer.ChaincodeMessage();
      ready.setType(peer.ChaincodeMessage.Type.READY);
      ready.setPayload(readyPayload({ write: true, writeMax: 4, get: true, getMax: 5 }));
      assert.equal(handler._stream.listenerCount('data'), 1, 'the wrapper listens until READY');
      handler._stream.emit('data', ready);
      assert.equal(handler._stream.listenerCount('data'), 0, 'and stops listening after it');
      const stub = { ...new FakePeer().stub(), handler };
      // The remembered capabilities decide the path: a batch read goes through the handler.
      let asked: number | undefined;
      Object.assign(handler, {
        _askPeerAndListen: async (message: peer.ChaincodeMessage) => {
          assert.ok(message instanceof StreamMessage, 'requests are built with the stream message class');
          asked = message.getType();
          const answer = new peer.GetStateMultipleResult();
          answer.setValuesList([new Uint8Array(), new Uint8Array()]);
          return Buffer.from(answer.serializeBinary());
        },
      });
      return getStates(stub, ['a', 'b']).then(() => {
        assert.equal(asked, peer.ChaincodeMessage.Type.GET_STATE_MULTIPLE);
      });
    });

    it('should find what it wraps in the pinned fabric-shim (2.5.x)', () => {
      const load = createRequire(__filename);
      const handlerFile = load.resolve('fabric-shim/lib/handler');
      const { ChaincodeMessageHandler } = load(handlerFile) as {
        ChaincodeMessageHandler: { prototype: Record<string, unknown> };
      };
      assert.equal(typeof ChaincodeMessageHandler.prototype.chat, 'function');
      assert.equal(typeof ChaincodeMessageHandler.prototype._askPeerAndListen, 'function');
      const shimProtos = createRequire(handlerFile)(
        '@hyperledger/fabric-protos',
      ) as typeof import('@hyperledger/fabric-protos');
      assert.equal(shimProtos.peer.ChaincodeMessage.Type.READY, peer.ChaincodeMessage.Type.READY);
    });

    it('should build requests the shim stream serialises, with both fabric-protos copies loaded', async () => {
      // The chaincode server's gRPC service: what the peer sends is decoded by requestDeserialize,
      // what the chaincode sends is encoded by responseSerialize (which checks the message class).
      const load = createRequire(createRequire(__filename).resolve('fabric-shim/lib/handler'));
      const service = (
        load('@hyperledger/fabric-protos/lib/peer/chaincode_shim_grpc_pb.js') as {
          ChaincodeService: {
            connect: {
              requestDeserialize(bytes: Buffer): peer.ChaincodeMessage;
              responseSerialize(message: peer.ChaincodeMessage): Buffer;
            };
          };
        }
      ).ChaincodeService.connect;
      const sent: Buffer[] = [];
      class StreamHandler {
        readonly _stream = new EventEmitter();
        chat(): void {}
        async _askPeerAndListen(message: peer.ChaincodeMessage): Promise<unknown> {
          sent.push(service.responseSerialize(message));
          return Buffer.alloc(0);
        }
      }
      capturePeerCapabilities(StreamHandler);
      // The same holds when the shim's copy is loaded first, as in a chaincode server: the request
      // keeps its type through the stream's serialiser.
      const shimFirst = spawnSync(
        process.execPath,
        [
          '-e',
          `require(${JSON.stringify(load.resolve('./handler'))});
           const batching = require(${JSON.stringify(require.resolve('../../../../chaincode/src/ledger/state-batching'))});
           const serialize = require(${JSON.stringify(load.resolve('@hyperledger/fabric-protos/lib/peer/chaincode_shim_grpc_pb.js'))}).ChaincodeService.connect.responseSerialize;
           const handler = { _askPeerAndListen: async (message) => { process.stdout.write(serialize(message).toString('hex')); } };
           batching.rememberCapabilities(handler, { getMultipleKeys: 0, writeBatch: 5 }, batching.shimEnvelopeClass());
           const stub = { handler, getTxID: () => 't', getChannelID: () => 'c' };
           batching.setState(stub, 'k', Buffer.from('v')).then(() => batching.flushWrites(stub));`,
        ],
        { encoding: 'utf8' },
      );
      const shimFirstMessage = peer.ChaincodeMessage.deserializeBinary(Buffer.from(shimFirst.stdout, 'hex'));
      assert.equal(
        shimFirstMessage.getType(),
        peer.ChaincodeMessage.Type.WRITE_BATCH_STATE,
        shimFirst.stderr,
      );
      const handler = new StreamHandler();
      handler.chat();
      const ready = new peer.ChaincodeMessage();
      ready.setType(peer.ChaincodeMessage.Type.READY);
      ready.setPayload(readyPayload({ write: true, writeMax: 10, get: true, getMax: 10 }));
      handler._stream.emit('data', service.requestDeserialize(Buffer.from(ready.serializeBinary())));
      const stub = { ...new FakePeer().stub('tx3'), handler };
      await setState(stub, 'k', bytes('v'));
      await flushWrites(stub);
      assert.equal(sent.length, 1);
      const decoded = peer.ChaincodeMessage.deserializeBinary(sent[0] as Buffer);
      assert.equal(decoded.getType(), peer.ChaincodeMessage.Type.WRITE_BATCH_STATE);
      assert.equal(decoded.getTxid(), 'tx3');
      const records = peer.WriteBatchState.deserializeBinary(decoded.getPayload_asU8()).getRecList();
      assert.deepEqual(
        records.map((r) => [r.getKey(), text(r.getValue_asU8())]),
        [['k', 'v']],
      );
    });
  });
});
