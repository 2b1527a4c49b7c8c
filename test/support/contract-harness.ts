// Shared checks for contract unit tests on the memory ledger.

import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import type { MemoryLedger, TxOptions } from './memory-stub';
import type { vppError } from './vpp-assert';

export function snapshot(ledger: MemoryLedger): [string, string | undefined][] {
  return ledger.keys().map((key) => [key, ledger.getText(key)]);
}

/** Runs a transaction that must fail, and checks it buffered no write and no event. */
export async function expectFailure(
  ledger: MemoryLedger,
  options: TxOptions,
  fn: (ctx: Context) => Promise<unknown>,
  expected: ReturnType<typeof vppError>,
): Promise<void> {
  const before = snapshot(ledger);
  const tx = ledger.begin(options);
  await assert.rejects(fn(tx.ctx), expected);
  assert.deepEqual([...tx.stub.writes.keys()], [], 'no writes buffered');
  assert.deepEqual(tx.stub.events, [], 'no event set');
  assert.deepEqual(snapshot(ledger), before);
}
