import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../../../../gateway/src/core/api-error';
import { idempotencyKeyOf } from '../../../../../gateway/src/plugins/app/fabric-connection';

const requestWith = (headers: Record<string, string | string[]>) =>
  ({ headers }) as unknown as FastifyRequest;

describe('gateway/plugins/app/fabric-connection', () => {
  describe('#idempotencyKeyOf', () => {
    it('should take the Idempotency-Key header as sent, and nothing when it is absent', () => {
      assert.equal(
        idempotencyKeyOf(requestWith({ 'idempotency-key': 'payout-2026-12-05.7' })),
        'payout-2026-12-05.7',
      );
      assert.equal(idempotencyKeyOf(requestWith({})), undefined);
    });

    it('should refuse a malformed or repeated key with 400 INVALID_IDEMPOTENCY_KEY', () => {
      for (const value of ['', 'two words', 'k'.repeat(129), ['a', 'b']]) {
        assert.throws(
          () => idempotencyKeyOf(requestWith({ 'idempotency-key': value })),
          (err: unknown) =>
            err instanceof ApiError && err.status === 400 && err.code === 'INVALID_IDEMPOTENCY_KEY',
        );
      }
    });
  });
});
