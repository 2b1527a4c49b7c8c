import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { common, msp, peer } from '@hyperledger/fabric-protos';
import {
  decodeBlock,
  decodeChaincodeProposalPayload,
  decodeMspConfig,
  decodeTransactionActions,
} from '../../../verifier/src/fabric-messages';
import {
  blockDataHash,
  blockHeaderDer,
  blockHeaderHash,
  isLowS,
  P256_ORDER,
} from '../../../verifier/src/hashes';
import {
  bytesField,
  int32Field,
  mapField,
  parseMessage,
  ProtobufError,
  readVarint,
  repeatedBytesField,
  safeUintField,
  stringField,
  uint64Field,
} from '../../../verifier/src/protobuf';
import { buildBlock, referenceBlockHash, sha256Hex } from '../../support/proof-bundle-fixture';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('verifier/protobuf', () => {
  describe('#readVarint', () => {
    it('should read one- and multi-byte varints and the largest uint64', () => {
      assert.deepEqual(readVarint(bytes(0x01), 0), { value: 1n, next: 1 });
      assert.deepEqual(readVarint(bytes(0xac, 0x02), 0), { value: 300n, next: 2 });
      const max = bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
      assert.deepEqual(readVarint(max, 0), { value: 2n ** 64n - 1n, next: 10 });
    });

    it('should refuse truncated, overlong and over-64-bit varints', () => {
      assert.throws(() => readVarint(bytes(0x80, 0x80), 0), ProtobufError);
      assert.throws(() => readVarint(bytes(...new Array<number>(11).fill(0x80), 0x00), 0), /overlong varint/);
      assert.throws(
        () => readVarint(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), 0),
        /exceeds 64 bits/,
      );
    });
  });

  describe('#parseMessage', () => {
    it('should read fields by number: varints, strings, repeated bytes and negative int32', () => {
      // field 1 varint 150; field 2 "hi"; field 3 twice; field 4 = -1 (ten-byte sign extension)
      const message = parseMessage(
        bytes(
          0x08,
          0x96,
          0x01,
          0x12,
          0x02,
          0x68,
          0x69,
          0x1a,
          0x01,
          0xaa,
          0x1a,
          0x00,
          0x20,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0xff,
          0x01,
        ),
      );
      assert.equal(uint64Field(message, 1), 150n);
      assert.equal(safeUintField(message, 1), 150);
      assert.equal(stringField(message, 2), 'hi');
      assert.deepEqual(repeatedBytesField(message, 3), [bytes(0xaa), bytes()]);
      assert.equal(int32Field(message, 4), -1);
      assert.deepEqual(bytesField(message, 9), bytes());
    });

    it('should refuse truncated fields, bad wire types, field number 0 and a wrong wire type for a field', () => {
      assert.throws(() => parseMessage(bytes(0x12, 0x05, 0x01)), /overruns the message/);
      assert.throws(() => parseMessage(bytes(0x12)), /truncated varint/);
      assert.throws(() => parseMessage(bytes(0x09, 0x01, 0x02)), /truncated fixed-width/);
      assert.throws(() => parseMessage(bytes(0x0b)), /unsupported wire type 3/);
      assert.throws(() => parseMessage(bytes(0x02, 0x00)), /invalid field number 0/);
      assert.throws(() => bytesField(parseMessage(bytes(0x08, 0x01)), 1), /expected length-delimited/);
      assert.throws(() => stringField(parseMessage(bytes(0x0a, 0x01, 0xff)), 1), /invalid UTF-8/);
    });

    it('should read a map as entries {1: key, 2: value}', () => {
      const group = new common.ConfigGroup();
      group.getGroupsMap().set('Application', new common.ConfigGroup());
      const value = new common.ConfigValue();
      value.setValue(Buffer.from('v'));
      group.getValuesMap().set('MSP', value);
      const message = parseMessage(group.serializeBinary());
      assert.deepEqual([...mapField(message, 2).keys()], ['Application']);
      assert.equal(
        Buffer.from(bytesField(parseMessage(mapField(message, 3).get('MSP')!), 2)).toString(),
        'v',
      );
    });
  });

  describe('fabric-messages', () => {
    it('should decode a block fabric-protos built: header, data and metadata', () => {
      const built = buildBlock(7, 'ab'.repeat(32), [bytes(1, 2), bytes(3)], [0, 11]);
      const block = decodeBlock(built.bytes);
      assert.equal(block.header.number, 7);
      assert.equal(Buffer.from(block.header.previousHash).toString('hex'), 'ab'.repeat(32));
      assert.equal(Buffer.from(block.header.dataHash).toString('hex'), built.dataHash);
      assert.deepEqual(block.data, [bytes(1, 2), bytes(3)]);
      assert.deepEqual(block.metadata[2], bytes(0, 11));
    });

    it('should decode the invocation of a chaincode proposal payload, every field set', () => {
      const chaincodeId = new peer.ChaincodeID();
      chaincodeId.setPath('path');
      chaincodeId.setName('vpp');
      chaincodeId.setVersion('1.0');
      const input = new peer.ChaincodeInput();
      input.setArgsList([Buffer.from('proofs:AttestRecord'), Buffer.from('\u0000k\u0000')]);
      input.getDecorationsMap().set('d', Buffer.from('x'));
      input.setIsInit(true);
      const spec = new peer.ChaincodeSpec();
      spec.setType(peer.ChaincodeSpec.Type.NODE);
      spec.setChaincodeId(chaincodeId);
      spec.setInput(input);
      spec.setTimeout(30);
      const invocation = new peer.ChaincodeInvocationSpec();
      invocation.setChaincodeSpec(spec);
      const payload = new peer.ChaincodeProposalPayload();
      payload.setInput(invocation.serializeBinary());
      payload.getTransientmapMap().set('secret', Buffer.from('s'));
      const decoded = decodeChaincodeProposalPayload(payload.serializeBinary());
      assert.deepEqual(decoded.chaincodeId, { path: 'path', name: 'vpp', version: '1.0' });
      assert.deepEqual(
        decoded.args.map((a) => Buffer.from(a).toString()),
        ['proofs:AttestRecord', '\u0000k\u0000'],
      );
      assert.equal(decoded.isInit, true);
    });

    it("should keep a transaction action's header and proposal payload bytes as they are", () => {
      const endorsed = new peer.ChaincodeEndorsedAction();
      endorsed.setProposalResponsePayload(bytes(7));
      const actionPayload = new peer.ChaincodeActionPayload();
      actionPayload.setChaincodeProposalPayload(bytes(5, 6));
      actionPayload.setAction(endorsed);
      const action = new peer.TransactionAction();
      action.setHeader(bytes(1, 2, 3));
      action.setPayload(actionPayload.serializeBinary());
      const tx = new peer.Transaction();
      tx.setActionsList([action]);
      assert.deepEqual(decodeTransactionActions(tx.serializeBinary()), [
        {
          header: bytes(1, 2, 3),
          chaincodeProposalPayload: bytes(5, 6),
          proposalResponsePayload: bytes(7),
          endorsements: [],
        },
      ]);
    });

    it('should decode an MSP config with its NodeOUs', () => {
      const ou = new msp.FabricOUIdentifier();
      ou.setOrganizationalUnitIdentifier('peer');
      const nodeOUs = new msp.FabricNodeOUs();
      nodeOUs.setEnable(true);
      nodeOUs.setPeerOuIdentifier(ou);
      const fabric = new msp.FabricMSPConfig();
      fabric.setName('CvppMSP');
      fabric.setRootCertsList([Buffer.from('root')]);
      fabric.setIntermediateCertsList([Buffer.from('int')]);
      fabric.setFabricNodeOus(nodeOUs);
      const config = new msp.MSPConfig();
      config.setConfig(fabric.serializeBinary());
      const decoded = decodeMspConfig(config.serializeBinary());
      assert.equal(decoded.type, 0);
      assert.equal(decoded.fabric?.name, 'CvppMSP');
      assert.deepEqual(
        decoded.fabric?.rootCerts.map((c) => Buffer.from(c).toString()),
        ['root'],
      );
      assert.deepEqual(
        decoded.fabric?.intermediateCerts.map((c) => Buffer.from(c).toString()),
        ['int'],
      );
      assert.equal(decoded.fabric?.nodeOUs?.enable, true);
      assert.equal(decoded.fabric?.nodeOUs?.peer?.organizationalUnit, 'peer');
      assert.equal(decoded.fabric?.nodeOUs?.client, undefined);
    });
  });
});

describe('verifier/hashes', () => {
  describe('#blockHeaderDer', () => {
    it("should encode like Go's encoding/asn1: minimal INTEGER, 0 as 02 01 00, a leading 00 above 0x7f", () => {
      const empty = { previousHash: bytes(), dataHash: bytes(0xab) };
      assert.equal(blockHeaderDer({ number: 0, ...empty }).toString('hex'), '300802010004000401ab');
      assert.equal(blockHeaderDer({ number: 128, ...empty }).toString('hex'), '30090202008004000401ab');
      assert.equal(blockHeaderDer({ number: 65535, ...empty }).toString('hex'), '300a020300ffff04000401ab');
    });

    it('should use long-form lengths when the header passes 127 bytes', () => {
      const der = blockHeaderDer({
        number: 1,
        previousHash: new Uint8Array(100),
        dataHash: new Uint8Array(32),
      });
      assert.equal(der.subarray(0, 3).toString('hex'), '30818b'); // 139 content bytes
      assert.equal(der.length, 3 + 3 + 2 + 100 + 2 + 32);
    });
  });

  describe('#blockHeaderHash', () => {
    it("should equal jsrsasign's DER hash, and the next block's previous_hash", () => {
      for (const number of [0, 1, 127, 128, 255, 256, 70_000, 2 ** 40]) {
        const header = { number, previousHash: Buffer.alloc(32, 7), dataHash: Buffer.alloc(32, 9) };
        assert.equal(
          blockHeaderHash(header).toString('hex'),
          referenceBlockHash(number, '07'.repeat(32), '09'.repeat(32)),
        );
      }
      const first = buildBlock(5, '11'.repeat(32), [bytes(1)]);
      const second = decodeBlock(buildBlock(6, first.hash, [bytes(2)]).bytes);
      assert.equal(
        Buffer.from(second.header.previousHash).toString('hex'),
        blockHeaderHash(decodeBlock(first.bytes).header).toString('hex'),
      );
    });
  });

  describe('#blockDataHash', () => {
    it('should hash the data entries concatenated', () => {
      assert.equal(blockDataHash([bytes(1, 2), bytes(3)]).toString('hex'), sha256Hex(bytes(1, 2, 3)));
    });
  });

  describe('#isLowS', () => {
    /** DER SEQUENCE { INTEGER 1, INTEGER s } (a positive INTEGER gets 00 before a high bit). */
    const signature = (s: bigint) => {
      const sHex = s.toString(16).padStart(64, '0');
      const sContent = parseInt(sHex.slice(0, 2), 16) & 0x80 ? `00${sHex}` : sHex;
      const body = `020101` + `02${(sContent.length / 2).toString(16)}${sContent}`;
      return Buffer.from(`30${(body.length / 2).toString(16)}${body}`, 'hex');
    };

    it('should accept S up to n/2 and refuse S above it or malformed DER', () => {
      assert.equal(isLowS(signature(P256_ORDER >> 1n)), true);
      assert.equal(isLowS(signature((P256_ORDER >> 1n) + 1n)), false);
      assert.equal(isLowS(bytes(0x30, 0x00)), false);
    });
  });
});
