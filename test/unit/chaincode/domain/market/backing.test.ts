import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  availableDers,
  backedCapacityW,
  remainingCapacityW,
  remainingQuota,
} from '../../../../../chaincode/src/domain/market/backing';
import { backedQuantity } from '../../../../../chaincode/src/domain/market/interval';
import type { Der } from '../../../../../chaincode/src/domain/registry/der';
import { ErrorCode } from '../../../../../chaincode/src/types/errors';
import { openInterval } from '../../../../support/market-fixtures';
import { vppError } from '../../../../support/vpp-assert';

function der(
  derId: string,
  capacityW: number,
  overrides: Partial<Der> = {},
  certificate: 'valid' | 'revoked' = 'valid',
): Der {
  return {
    derId,
    vppId: 'vpp-1',
    derType: 'pv',
    capacityW,
    zone: 'z',
    status: 'active',
    certificate: { pem: 'pem', serial: 'AB', notAfter: '2040-01-01T00:00:00.000Z', status: certificate },
    registeredAt: '2026-01-01T00:00:00.000Z',
    registeredBy: 'CvppMSP/op',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

const ders = [
  der('a', 5000),
  der('b', 3000, { status: 'suspended' }),
  der('c', 2000, {}, 'revoked'),
  der('d', 1000),
];

describe('domain/market/backing', () => {
  describe('#backedCapacityW', () => {
    it('should count active DERs with valid certificates only', () => {
      assert.equal(backedCapacityW(ders, 'vpp-1'), 6000);
      assert.equal(backedCapacityW([], 'vpp-1'), 0);
    });

    it('should refuse a DER of another VPP as an internal error', () => {
      assert.throws(
        () => backedCapacityW([der('x', 1, { vppId: 'vpp-2' })], 'vpp-1'),
        vppError(ErrorCode.INTERNAL, /indexed under vpp vpp-1/),
      );
    });
  });

  describe('#availableDers', () => {
    it('should offer every active DER (certificate status aside) at its capacity', () => {
      assert.deepEqual(availableDers(ders, 'vpp-1'), [
        { derId: 'a', availableW: 5000 },
        { derId: 'c', availableW: 2000 },
        { derId: 'd', availableW: 1000 },
      ]);
      assert.throws(
        () => availableDers([der('x', 1, { vppId: 'vpp-2' })], 'vpp-1'),
        vppError(ErrorCode.INTERNAL),
      );
    });
  });

  describe('#remainingQuota', () => {
    it('should subtract what was offered, never going below zero', () => {
      assert.equal(remainingQuota(1000, []), 1000);
      assert.equal(remainingQuota(1000, [300, 200]), 500);
      assert.equal(remainingQuota(1000, [800, 800]), 0);
    });
  });

  describe('#remainingCapacityW', () => {
    it('should reserve the constant power each earlier energy bid needs, rounded up per bid', () => {
      const interval = openInterval(); // 15 minutes
      assert.equal(remainingCapacityW(interval, 12_000, []), 12_000);
      // 1000 Wh over 15 min needs 4000 W; 1 Wh needs 4 W.
      assert.equal(remainingCapacityW(interval, 12_000, [1000, 1]), 7996);
      assert.equal(remainingCapacityW(interval, 1000, [1000]), 0);
      const seven = openInterval({ deliveryEnd: '2025-03-01T12:07:00.000Z' });
      // 1 Wh over 7 min needs ceil(60 / 7) = 9 W.
      assert.equal(remainingCapacityW(seven, 100, [1]), 91);
    });

    it('should keep all of a VPP’s bids within what its capacity backs', () => {
      const interval = openInterval();
      const capacityW = 12_345;
      let offered: number[] = [];
      for (const quantity of [1000, 7, 333, 1]) {
        const left = backedQuantity(interval, remainingCapacityW(interval, capacityW, offered));
        if (quantity <= left) offered = [...offered, quantity];
      }
      assert.ok(offered.reduce((a, b) => a + b, 0) <= backedQuantity(interval, capacityW));
    });

    it('should take reserve bids in watts as they are', () => {
      const reserve = openInterval({ product: 'reserve' });
      assert.equal(remainingCapacityW(reserve, 5000, [1200, 800]), 3000);
    });
  });
});
