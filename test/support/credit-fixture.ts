// Credit on the memory ledger: the callers that matter to the credit contract, the default rulebook
// installed as the network setup does, and a way to run applyCreditEvents inside a transaction as the
// settlement, telemetry, market and dispatch contracts will.

import type { Context } from 'fabric-contract-api';
import { CreditContract } from '../../chaincode/src/contracts/credit-contract';
import { applyCreditEvents, type CreditEffects } from '../../chaincode/src/services/credit-scoring';
import type { CreditEventType } from '../../chaincode/src/domain/credit/rulebook';
import type { CreditEvent, Participant } from '../../chaincode/src/domain/credit/scoring';
import { txTimestampIso } from '../../chaincode/src/ledger/tx-time';
import type { Caller, MemoryLedger, MemoryTransaction } from './memory-stub';

export const credit = new CreditContract();

export const regulatorAdmin: Caller = {
  mspId: 'RegulatorMSP',
  attributes: { 'vpp.role': 'admin' },
  id: 'x509::/OU=admin/CN=regulatoradmin::/CN=ca',
};
export const regulatorStaff: Caller = {
  mspId: 'RegulatorMSP',
  attributes: { 'vpp.role': 'regulator' },
  id: 'x509::/OU=client/CN=inspector::/CN=ca',
};
export const controlOperator: Caller = { mspId: 'ControlMSP', attributes: { 'vpp.role': 'control' } };
export const controlAdmin: Caller = { mspId: 'ControlMSP', attributes: { 'vpp.role': 'admin' } };

/** Installs DEFAULT_RULEBOOK as version 1 at `time`, as the network setup will. */
export async function installDefaultRulebook(ledger: MemoryLedger, time: string): Promise<void> {
  await ledger.submit({ caller: regulatorAdmin, time }, (ctx) => credit.InstallDefaultRulebook(ctx));
}

/** A credit event reported by the transaction `ctx` belongs to, at its transaction time. */
export function eventIn(
  ctx: Context,
  participant: Participant,
  eventType: CreditEventType,
  intervalId?: string,
): CreditEvent {
  return {
    participant,
    eventType,
    ...(intervalId === undefined ? {} : { intervalId }),
    txId: ctx.stub.getTxID(),
    at: txTimestampIso(ctx),
  };
}

/**
 * Runs applyCreditEvents in a committed transaction of some other contract (the caller does not
 * matter to it), with the events `build` makes for that transaction.
 */
export async function scoreInTransaction(
  ledger: MemoryLedger,
  time: string,
  build: (ctx: Context) => readonly CreditEvent[],
): Promise<{ result: CreditEffects; tx: MemoryTransaction }> {
  return ledger.submit({ caller: controlOperator, time }, (ctx) => applyCreditEvents(ctx, build(ctx)));
}
