import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DER_REGISTERED_EVENT,
  DER_UPDATED_EVENT,
  DERS_REGISTERED_EVENT,
} from '../../../../chaincode/src/types/contracts';
import { MAX_DER_BATCH_SIZE } from '../../../../chaincode/src/domain/registry/der-batch';
import type { Caller } from '../../../support/memory-stub';
import { serialOf } from '../../../../chaincode/src/domain/pki/certificate';
import { derByCertKey, derByVppKey, derKey } from '../../../../chaincode/src/encoding/keys';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MAX_DER_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../../chaincode/src/rules';
import { expectFailure } from '../../../support/contract-harness';
import {
  cvppAdmin,
  cvppIngest,
  cvppOperator,
  derJson,
  newFixture,
  type DerSpec,
  registry,
  regulator,
  tradingAdmin,
  tradingOperator,
  VPP_ID,
} from '../../../support/registry-fixture';
import { newSm2Key } from '../../../../gateway/device-kit/sm2-key';
import { deviceAttrs, newTestCa, newTestDevice } from '../../../support/test-pki';
import { vppError } from '../../../support/vpp-assert';

const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('contracts/registry-contract', () => {
  describe('#RecordCaCertificates', () => {
    it("should store the caller org's CA certificates, admins only, CA certificates only", async () => {
      const { ledger, ca } = await newFixture();
      const stored = parse(
        await ledger.evaluate({ caller: tradingOperator }, (ctx) =>
          registry.GetCaCertificates(ctx, 'CvppMSP'),
        ),
      );
      assert.deepEqual(stored.certificates, [ca.certPem.trim() + '\n']);
      assert.equal(stored.recordedBy, 'CvppMSP/cvppadmin');
      assert.equal(stored.version, 1);
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RecordCaCertificates(ctx, JSON.stringify([ca.certPem])),
        vppError(ErrorCode.FORBIDDEN),
      );
      const leaf = newTestDevice(ca, { attrs: deviceAttrs('x', VPP_ID) });
      await expectFailure(
        ledger,
        { caller: cvppAdmin },
        (ctx) => registry.RecordCaCertificates(ctx, JSON.stringify([leaf.certPem])),
        vppError(ErrorCode.INVALID_ARGUMENT, /not a CA certificate/),
      );
    });
  });

  describe('#RegisterVpp', () => {
    it('should register a VPP once, for CVPP operators only', async () => {
      const { ledger } = await newFixture();
      const vpp = parse(await ledger.evaluate({ caller: regulator }, (ctx) => registry.GetVpp(ctx, VPP_ID)));
      assert.deepEqual(
        { id: vpp.vppId, fee: vpp.feeBps, by: vpp.registeredBy, msp: vpp.operatorMspId },
        { id: VPP_ID, fee: 500, by: 'CvppMSP/op1', msp: 'CvppMSP' },
      );
      const again = JSON.stringify({ vppId: VPP_ID, displayName: 'Again', feeBps: 1 });
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterVpp(ctx, again),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
      const other = JSON.stringify({ vppId: 'vpp-south', displayName: 'South', feeBps: 1 });
      await expectFailure(
        ledger,
        { caller: tradingAdmin },
        (ctx) => registry.RegisterVpp(ctx, other),
        vppError(ErrorCode.FORBIDDEN),
      );
      const badFee = JSON.stringify({ vppId: 'vpp-south', displayName: 'South', feeBps: 10_001 });
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterVpp(ctx, badFee),
        vppError(ErrorCode.INVALID_ARGUMENT, /feeBps/),
      );
    });
  });

  describe('#RegisterDer', () => {
    it('should store the DER with its certificate, index it by VPP and serial, and emit it', async () => {
      const { ledger, ca } = await newFixture();
      const device = newTestDevice(ca, { attrs: deviceAttrs('pv-001', VPP_ID) });
      const { result, tx } = await ledger.submit(
        { caller: cvppOperator, time: '2026-02-01T00:00:00.000Z' },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-001', capacityW: 5000 }, device.certPem)),
      );
      const der = parse(result);
      const serial = serialOf(device.certPem);
      assert.deepEqual(
        {
          id: der.derId,
          vpp: der.vppId,
          cap: der.capacityW,
          status: der.status,
          at: der.registeredAt,
          v: der.version,
        },
        { id: 'pv-001', vpp: VPP_ID, cap: 5000, status: 'active', at: '2026-02-01T00:00:00.000Z', v: 1 },
      );
      assert.deepEqual(der.certificate, {
        pem: device.certPem.trim() + '\n',
        serial,
        notAfter: '2040-01-01T00:00:00.000Z',
        status: 'valid',
      });
      assert.equal(ledger.getText(derKey('pv-001')), result);
      assert.equal(ledger.getText(derByVppKey(VPP_ID, 'pv-001')), '"pv-001"');
      assert.equal(ledger.getText(derByCertKey(serial)), '"pv-001"');
      assert.equal(tx.event?.name, DER_REGISTERED_EVENT);
      const bySerial = parse(
        await ledger.evaluate({ caller: regulator }, (ctx) =>
          registry.GetDerByCertificate(ctx, serial.toLowerCase()),
        ),
      );
      assert.equal(bySerial.derId, 'pv-001');
    });

    it('should refuse certificates that cannot stand for the DER with CERTIFICATE_REJECTED', async () => {
      const { ledger, ca } = await newFixture([{ derId: 'pv-001' }]);
      const foreignCa = newTestCa('ca.trading');
      const cases: [string, string, RegExp][] = [
        [
          'another CA',
          newTestDevice(foreignCa, { attrs: deviceAttrs('pv-002', VPP_ID) }).certPem,
          /not issued by the CVPP/,
        ],
        [
          'another DER id',
          newTestDevice(ca, { attrs: deviceAttrs('pv-999', VPP_ID) }).certPem,
          /vpp.derId is "pv-999"/,
        ],
        [
          'another VPP',
          newTestDevice(ca, { attrs: deviceAttrs('pv-002', 'vpp-south') }).certPem,
          /vpp.vppId/,
        ],
        [
          'not a device',
          newTestDevice(ca, { attrs: { ...deviceAttrs('pv-002', VPP_ID), 'vpp.role': 'operator' } }).certPem,
          /vpp.role/,
        ],
        [
          'expired',
          newTestDevice(ca, { attrs: deviceAttrs('pv-002', VPP_ID), notAfter: '2025-06-01T00:00:00.000Z' })
            .certPem,
          /not valid at the transaction time/,
        ],
        [
          'an SM2 key off the curve',
          newTestDevice(ca, {
            attrs: { ...deviceAttrs('pv-002', VPP_ID), 'vpp.sm2PublicKey': `04${'11'.repeat(64)}` },
          }).certPem,
          /vpp.sm2PublicKey must be an SM2 public key on the curve/,
        ],
        [
          'an SM2 key spelt in upper case',
          newTestDevice(ca, {
            attrs: {
              ...deviceAttrs('pv-002', VPP_ID),
              'vpp.sm2PublicKey': newSm2Key().publicKeyHex.toUpperCase(),
            },
          }).certPem,
          /vpp.sm2PublicKey must be an SM2 public key/,
        ],
      ];
      for (const [label, pem, message] of cases) {
        await expectFailure(
          ledger,
          { caller: cvppOperator, time: '2026-03-01T00:00:00.000Z' },
          (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-002' }, pem)),
          vppError(ErrorCode.CERTIFICATE_REJECTED, message),
        ).catch((err: unknown) => assert.fail(`${label}: ${String(err)}`));
      }
    });

    it('should refuse a second DER with the same id or the same certificate, an unknown VPP, and other orgs', async () => {
      const { ledger, ca, devices } = await newFixture([{ derId: 'pv-001' }]);
      const fresh = newTestDevice(ca, { attrs: deviceAttrs('pv-001', VPP_ID) }).certPem;
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-001' }, fresh)),
        vppError(ErrorCode.ALREADY_EXISTS),
      );
      const reused = devices.get('pv-001')!.certPem;
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-001b' }, reused)),
        vppError(ErrorCode.CERTIFICATE_REJECTED),
      );
      const southPem = newTestDevice(ca, { attrs: deviceAttrs('pv-003', 'vpp-south') }).certPem;
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-003', vppId: 'vpp-south' }, southPem)),
        vppError(ErrorCode.NOT_FOUND, /vpp vpp-south/),
      );
      const pem = newTestDevice(ca, { attrs: deviceAttrs('pv-004', VPP_ID) }).certPem;
      await expectFailure(
        ledger,
        { caller: tradingAdmin },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-004' }, pem)),
        vppError(ErrorCode.FORBIDDEN),
      );
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-004', capacityW: 0 }, pem)),
        vppError(ErrorCode.INVALID_ARGUMENT, /capacityW/),
      );
    });
  });

  describe('#RegisterDers', () => {
    const batchOf = (items: unknown[]) => JSON.stringify(items);
    const item = (spec: DerSpec, pem: string) => JSON.parse(derJson(spec, pem)) as unknown;

    it('should judge each DER as RegisterDer would, in order, write only the registered ones, and report each', async () => {
      const { ledger, ca, devices } = await newFixture([{ derId: 'pv-001' }]);
      const pem = (derId: string, vppId = VPP_ID) =>
        newTestDevice(ca, { attrs: deviceAttrs(derId, vppId) }).certPem;
      const good = pem('pv-010');
      const second = pem('pv-011');
      const batch = [
        item({ derId: 'pv-010' }, good),
        item({ derId: 'pv-010' }, pem('pv-010')), // repeats an id registered earlier in the batch
        item({ derId: 'pv-012' }, good), // the certificate of an earlier item of the batch
        item({ derId: 'pv-001' }, pem('pv-001')), // already on the ledger
        item({ derId: 'pv-013', vppId: 'vpp-south' }, pem('pv-013', 'vpp-south')), // unknown VPP
        item(
          { derId: 'pv-014' },
          newTestDevice(newTestCa('ca.trading'), { attrs: deviceAttrs('pv-014', VPP_ID) }).certPem,
        ),
        item({ derId: 'pv-015', capacityW: 0 }, pem('pv-015')),
        'not a registration',
        item({ derId: 'pv-016' }, devices.get('pv-001')!.certPem), // certificate bound to a ledger DER
        item({ derId: 'pv-011', derType: 'battery', capacityW: 9000 }, second),
      ];
      const { result, tx } = await ledger.submit(
        { caller: cvppOperator, time: '2026-02-01T00:00:00.000Z', txId: 'tx-bulk' },
        (ctx) => registry.RegisterDers(ctx, batchOf(batch)),
      );
      const outcome = JSON.parse(result) as {
        txId: string;
        registered: number;
        refused: number;
        results: { index: number; status: string; derId?: string; code?: string; message?: string }[];
      };
      assert.equal(outcome.txId, 'tx-bulk');
      assert.deepEqual(
        { registered: outcome.registered, refused: outcome.refused },
        { registered: 2, refused: 8 },
      );
      assert.deepEqual(
        outcome.results.map((r) => [r.index, r.status, r.derId ?? null, r.code ?? null]),
        [
          [0, 'registered', 'pv-010', null],
          [1, 'refused', 'pv-010', ErrorCode.ALREADY_EXISTS],
          [2, 'refused', 'pv-012', ErrorCode.CERTIFICATE_REJECTED],
          [3, 'refused', 'pv-001', ErrorCode.ALREADY_EXISTS],
          [4, 'refused', 'pv-013', ErrorCode.NOT_FOUND],
          [5, 'refused', 'pv-014', ErrorCode.CERTIFICATE_REJECTED],
          [6, 'refused', 'pv-015', ErrorCode.INVALID_ARGUMENT],
          [7, 'refused', null, ErrorCode.INVALID_ARGUMENT],
          [8, 'refused', 'pv-016', ErrorCode.CERTIFICATE_REJECTED],
          [9, 'registered', 'pv-011', null],
        ],
      );
      assert.match(outcome.results[2]!.message!, /vpp.derId is "pv-010"/);
      assert.match(outcome.results[8]!.message!, /vpp.derId is "pv-001"/);
      assert.match(outcome.results[6]!.message!, /capacityW/);
      // Written: the two registered DERs with both index entries; nothing for the refused ones.
      const stored = JSON.parse(ledger.getText(derKey('pv-011'))!) as Record<string, unknown>;
      assert.deepEqual(
        { type: stored.derType, cap: stored.capacityW, status: stored.status, by: stored.registeredBy },
        { type: 'battery', cap: 9000, status: 'active', by: 'CvppMSP/op1' },
      );
      assert.equal(ledger.getText(derByVppKey(VPP_ID, 'pv-010')), '"pv-010"');
      assert.equal(ledger.getText(derByCertKey(serialOf(good))), '"pv-010"');
      assert.equal(ledger.getText(derByCertKey(serialOf(second))), '"pv-011"');
      for (const derId of ['pv-012', 'pv-013', 'pv-014', 'pv-015', 'pv-016']) {
        assert.equal(ledger.getText(derKey(derId)), undefined, derId);
      }
      assert.equal(tx.event?.name, DERS_REGISTERED_EVENT);
      assert.deepEqual(JSON.parse(Buffer.from(tx.event!.payload).toString('utf8')), {
        txId: 'tx-bulk',
        registered: 2,
        refused: 8,
        derIds: ['pv-010', 'pv-011'],
      });
    });

    it('should store the same DER record as RegisterDer', async () => {
      const single = await newFixture();
      const bulk = await newFixture();
      const pem = newTestDevice(single.ca, { attrs: deviceAttrs('pv-020', VPP_ID) }).certPem;
      const bulkPem = newTestDevice(bulk.ca, { attrs: deviceAttrs('pv-020', VPP_ID) }).certPem;
      const at = { caller: cvppOperator, time: '2026-02-01T00:00:00.000Z' };
      await single.ledger.submit(at, (ctx) => registry.RegisterDer(ctx, derJson({ derId: 'pv-020' }, pem)));
      await bulk.ledger.submit(at, (ctx) =>
        registry.RegisterDers(ctx, batchOf([item({ derId: 'pv-020' }, bulkPem)])),
      );
      const record = (ledger: typeof single.ledger) => {
        const der = JSON.parse(ledger.getText(derKey('pv-020'))!) as Record<string, unknown>;
        delete der.certificate; // each fixture has its own CA, so the certificates differ
        return der;
      };
      assert.deepEqual(record(bulk.ledger), record(single.ledger));
    });

    it('should refuse a malformed list, an oversized one and other orgs as a whole, writing nothing', async () => {
      const { ledger, ca } = await newFixture();
      const pem = newTestDevice(ca, { attrs: deviceAttrs('pv-030', VPP_ID) }).certPem;
      const one = batchOf([item({ derId: 'pv-030' }, pem)]);
      const cases: [Caller, string, RegExp | ErrorCode][] = [
        [cvppOperator, '{"derId":"pv-030"}', /list of 1\.\.500/],
        [cvppOperator, '[]', /list of 1\.\.500/],
        [
          cvppOperator,
          batchOf(Array.from({ length: MAX_DER_BATCH_SIZE + 1 }, () => ({}))),
          /list of 1\.\.500/,
        ],
        [cvppOperator, 'not json', ErrorCode.INVALID_ARGUMENT],
        [tradingAdmin, one, ErrorCode.FORBIDDEN],
        [regulator, one, ErrorCode.FORBIDDEN],
      ];
      for (const [caller, json, expected] of cases) {
        await expectFailure(
          ledger,
          { caller },
          (ctx) => registry.RegisterDers(ctx, json),
          expected instanceof RegExp ? vppError(ErrorCode.INVALID_ARGUMENT, expected) : vppError(expected),
        );
      }
      assert.equal(ledger.getText(derKey('pv-030')), undefined);
    });
  });

  describe('#GetDers', () => {
    it('should answer many DERs in the order asked, null where none is registered or the id is invalid', async () => {
      const { ledger } = await newFixture([{ derId: 'pv-001' }, { derId: 'pv-002' }]);
      const answer = JSON.parse(
        await ledger.evaluate({ caller: cvppIngest }, (ctx) =>
          registry.GetDers(ctx, JSON.stringify(['pv-002', 'pv-404', 'not valid!', 'pv-001'])),
        ),
      ) as ({ derId: string } | null)[];
      assert.deepEqual(
        answer.map((der) => der?.derId ?? null),
        ['pv-002', null, null, 'pv-001'],
      );
      assert.equal(JSON.stringify(answer[0]), ledger.getText(derKey('pv-002')));
      for (const bad of ['[]', '"pv-001"', '[1]', JSON.stringify(Array(MAX_DER_BATCH_SIZE + 1).fill('x'))]) {
        await assert.rejects(
          ledger.evaluate({ caller: cvppIngest }, (ctx) => registry.GetDers(ctx, bad)),
          vppError(ErrorCode.INVALID_ARGUMENT),
        );
      }
    });
  });

  describe('#ListDersByVpp', () => {
    it('should page through a VPP’s DERs in id order', async () => {
      const ids = ['b-2', 'a-1', 'c-3', 'd-4', 'e-5'];
      const { ledger } = await newFixture(ids.map((derId) => ({ derId })));
      const pages: string[][] = [];
      let bookmark = '';
      do {
        const page = parse(
          await ledger.evaluate({ caller: regulator }, (ctx) =>
            registry.ListDersByVpp(ctx, VPP_ID, '2', bookmark),
          ),
        );
        pages.push((page.ders as { derId: string }[]).map((der) => der.derId));
        bookmark = page.bookmark as string;
      } while (bookmark !== '');
      assert.deepEqual(pages, [['a-1', 'b-2'], ['c-3', 'd-4'], ['e-5']]);
      for (const size of ['0', String(MAX_DER_PAGE_SIZE + 1)]) {
        await assert.rejects(
          ledger.evaluate({ caller: regulator }, (ctx) => registry.ListDersByVpp(ctx, VPP_ID, size, '')),
          vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/),
        );
      }
      const whole = parse(
        await ledger.evaluate({ caller: regulator }, (ctx) =>
          registry.ListDersByVpp(ctx, VPP_ID, String(MAX_DER_PAGE_SIZE), ''),
        ),
      );
      assert.deepEqual([(whole.ders as unknown[]).length, whole.bookmark], [5, '']);
    });
  });

  describe('#ListVpps', () => {
    it('should page through the registered VPPs in id order', async () => {
      const { ledger } = await newFixture();
      for (const vppId of ['vpp-c', 'vpp-a', 'vpp-b']) {
        await ledger.submit({ caller: cvppOperator }, (ctx) =>
          registry.RegisterVpp(ctx, JSON.stringify({ vppId, displayName: vppId, feeBps: 100 })),
        );
      }
      const list = async (pageSize: string, bookmark: string) =>
        parse(
          await ledger.evaluate({ caller: regulator }, (ctx) => registry.ListVpps(ctx, pageSize, bookmark)),
        );
      const first = await list('3', '');
      assert.deepEqual(
        (first.vpps as { vppId: string }[]).map((v) => v.vppId),
        ['vpp-a', 'vpp-b', 'vpp-c'],
      );
      const second = await list('3', first.bookmark as string);
      assert.deepEqual(
        [(second.vpps as { vppId: string }[]).map((v) => v.vppId), second.bookmark],
        [[VPP_ID], ''],
      );
      for (const size of ['0', String(MAX_PAGE_SIZE + 1), 'all']) {
        await assert.rejects(list(size, ''), vppError(ErrorCode.INVALID_ARGUMENT, /pageSize/));
      }
      await assert.rejects(list('3', derKey('pv-001')), vppError(ErrorCode.INVALID_ARGUMENT, /bookmark/));
    });
  });

  describe('#SuspendDer / #ReinstateDer', () => {
    it('should let CVPP operators and the regulator change the status, with a reason, once per change', async () => {
      const { ledger } = await newFixture([{ derId: 'pv-001' }]);
      const { result, tx } = await ledger.submit({ caller: regulator }, (ctx) =>
        registry.SuspendDer(ctx, 'pv-001', 'meter tampering suspected'),
      );
      assert.deepEqual(
        [parse(result).status, parse(result).statusReason, parse(result).version],
        ['suspended', 'meter tampering suspected', 2],
      );
      assert.equal(tx.event?.name, DER_UPDATED_EVENT);
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.SuspendDer(ctx, 'pv-001', 'again'),
        vppError(ErrorCode.INVALID_STATE),
      );
      await expectFailure(
        ledger,
        { caller: tradingAdmin },
        (ctx) => registry.ReinstateDer(ctx, 'pv-001', 'x'),
        vppError(ErrorCode.FORBIDDEN),
      );
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.ReinstateDer(ctx, 'pv-001', '  '),
        vppError(ErrorCode.INVALID_ARGUMENT, /reason/),
      );
      const reinstated = parse(
        (
          await ledger.submit({ caller: cvppOperator }, (ctx) =>
            registry.ReinstateDer(ctx, 'pv-001', 'inspected'),
          )
        ).result,
      );
      assert.equal(reinstated.status, 'active');
    });
  });

  describe('#RevokeDerCertificate / #ReplaceDerCertificate', () => {
    it('should revoke the current certificate once, then bind a new one', async () => {
      const { ledger, ca, devices } = await newFixture([{ derId: 'pv-001' }]);
      const serial = serialOf(devices.get('pv-001')!.certPem);
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RevokeDerCertificate(ctx, 'pv-001', 'ABC', 'keyCompromise'),
        vppError(ErrorCode.INVALID_ARGUMENT, /not the current certificate/),
      );
      await expectFailure(
        ledger,
        { caller: regulator },
        (ctx) => registry.RevokeDerCertificate(ctx, 'pv-001', serial, 'keyCompromise'),
        vppError(ErrorCode.FORBIDDEN),
      );
      const revoked = parse(
        (
          await ledger.submit({ caller: cvppOperator, time: '2026-05-01T00:00:00.000Z' }, (ctx) =>
            registry.RevokeDerCertificate(ctx, 'pv-001', serial, 'keyCompromise'),
          )
        ).result,
      );
      assert.deepEqual(revoked.certificate, {
        ...(revoked.certificate as object),
        status: 'revoked',
        revokedAt: '2026-05-01T00:00:00.000Z',
        revocationReason: 'keyCompromise',
      });
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.RevokeDerCertificate(ctx, 'pv-001', serial, 'again'),
        vppError(ErrorCode.INVALID_STATE),
      );
      await expectFailure(
        ledger,
        { caller: cvppOperator },
        (ctx) => registry.ReplaceDerCertificate(ctx, 'pv-001', devices.get('pv-001')!.certPem),
        vppError(ErrorCode.CERTIFICATE_REJECTED, /already bound/),
      );
      const renewed = newTestDevice(ca, { attrs: deviceAttrs('pv-001', VPP_ID) });
      const replaced = parse(
        (
          await ledger.submit({ caller: cvppOperator }, (ctx) =>
            registry.ReplaceDerCertificate(ctx, 'pv-001', renewed.certPem),
          )
        ).result,
      );
      assert.deepEqual((replaced.certificate as { serial: string; status: string }).status, 'valid');
      assert.equal((replaced.certificate as { serial: string }).serial, serialOf(renewed.certPem));
      assert.equal(ledger.getText(derByCertKey(serialOf(renewed.certPem))), '"pv-001"');
      assert.equal(ledger.getText(derByCertKey(serial)), '"pv-001"', 'the old serial still names its DER');
    });
  });
});
