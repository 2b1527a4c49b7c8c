// Dispatch: from a cleared interval's awards the control centre issues one instruction per VPP, the
// VPP operator acknowledges it and then splits the award into one setpoint record per DER. Thin
// transactions over domain/market/dispatch.ts and setpoints.ts; one event per step.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { availableDers } from '../domain/market/backing';
import {
  acknowledgeDispatch,
  buildDispatchInstruction,
  parseDispatchRequest,
  parseStoredDispatchInstruction,
  type DispatchInstruction,
} from '../domain/market/dispatch';
import {
  allocateSetpoints,
  parseStoredSetpoint,
  type AllocatedSetpoints,
  type DispatchView,
} from '../domain/market/setpoints';
import { toCanonicalJson } from '../encoding/canonical-json';
import { derSetpointKey, derSetpointPrefix, dispatchKey } from '../encoding/keys';
import { requireActor } from '../ledger/identity';
import { emitJson, requireAbsent, requireState, scanPrefix, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { CONTROL_ROOM, VPP_OPERATOR } from '../types/consortium';
import { reportCreditEvents } from '../services/credit-scoring';
import { requireCleared, requireMarketInterval } from '../services/market-reads';
import { dersOfVpp, requireOperatedVpp } from '../services/registry-reads';
import {
  DISPATCH_ACKNOWLEDGED_EVENT,
  DISPATCH_CONTRACT_NAME,
  DISPATCH_ISSUED_EVENT,
  SETPOINTS_ALLOCATED_EVENT,
} from '../types/contracts';
import { VppContract } from './vpp-contract';

function summaryOf(instruction: DispatchInstruction) {
  return {
    intervalId: instruction.intervalId,
    vppId: instruction.vppId,
    product: instruction.product,
    quantity: instruction.quantity,
    quantityUnit: instruction.quantityUnit,
    requiredW: instruction.requiredW,
    status: instruction.status,
  };
}

async function requireInstruction(ctx: Context, intervalId: string, vppId: string) {
  return requireState(
    ctx,
    dispatchKey(intervalId, vppId),
    parseStoredDispatchInstruction,
    `dispatch of vpp ${vppId} in interval ${intervalId}`,
  );
}

/** What the VPP operator's steps start from: its own VPP's instruction in a known interval. */
async function operatorsInstruction(ctx: Context, intervalId: string, vppId: string) {
  const caller = requireActor(ctx, VPP_OPERATOR);
  parseDispatchRequest({ intervalId, vppId });
  await requireOperatedVpp(ctx, vppId, caller);
  const interval = await requireMarketInterval(ctx, intervalId);
  const instruction = await requireInstruction(ctx, intervalId, vppId);
  return { caller, interval, instruction };
}

@Info({ title: 'DispatchContract', description: 'Dispatch instructions and per-DER setpoints' })
export class DispatchContract extends VppContract {
  constructor() {
    super(DISPATCH_CONTRACT_NAME);
  }

  /** Issues the instruction for the VPP's award, once, between the reveal deadline and delivery. */
  @Transaction()
  @Returns('string')
  async IssueDispatch(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    const caller = requireActor(ctx, CONTROL_ROOM);
    const request = parseDispatchRequest({ intervalId, vppId });
    const interval = await requireMarketInterval(ctx, request.intervalId);
    const clearing = await requireCleared(ctx, intervalId);
    const key = dispatchKey(intervalId, vppId);
    await requireAbsent(
      ctx,
      key,
      parseStoredDispatchInstruction,
      `dispatch of vpp ${vppId} in interval ${intervalId} was already issued`,
    );
    const instruction = buildDispatchInstruction({
      input: request,
      interval,
      clearing: clearing.result,
      ders: availableDers(await dersOfVpp(ctx, vppId), vppId),
      caller,
      txTime: txTimestampIso(ctx),
    });
    await writeState(ctx, key, instruction);
    emitJson(ctx, DISPATCH_ISSUED_EVENT, summaryOf(instruction));
    return toCanonicalJson(instruction);
  }

  /** The VPP operator promises to deliver: once, before delivery starts. */
  @Transaction()
  @Returns('string')
  async AcknowledgeDispatch(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    const { caller, interval, instruction } = await operatorsInstruction(ctx, intervalId, vppId);
    const acknowledged = acknowledgeDispatch({ instruction, interval, caller, txTime: txTimestampIso(ctx) });
    await writeState(ctx, dispatchKey(intervalId, vppId), acknowledged);
    await reportCreditEvents(ctx, [
      { participant: { type: 'vpp', id: vppId }, eventType: 'DISPATCH_ACKNOWLEDGED', intervalId },
    ]);
    emitJson(ctx, DISPATCH_ACKNOWLEDGED_EVENT, {
      ...summaryOf(acknowledged),
      acknowledgedAt: acknowledged.acknowledgedAt,
    });
    return toCanonicalJson(acknowledged);
  }

  /**
   * Splits the acknowledged award into one setpoint record per active DER (proportional to capacity,
   * whole watts, summing exactly to the instruction's requiredW). Returns `{ intervalId, vppId,
   * requiredW, setpoints }`.
   */
  @Transaction()
  @Returns('string')
  async AllocateSetpoints(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    const { caller, interval, instruction } = await operatorsInstruction(ctx, intervalId, vppId);
    const existing = await scanPrefix(ctx, derSetpointPrefix(intervalId, vppId), parseStoredSetpoint);
    const setpoints = allocateSetpoints({
      instruction,
      interval,
      ders: availableDers(await dersOfVpp(ctx, vppId), vppId),
      alreadyAllocated: existing.length > 0,
      caller,
      txTime: txTimestampIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    for (const setpoint of setpoints) {
      await writeState(ctx, derSetpointKey(intervalId, vppId, setpoint.derId), setpoint);
    }
    const outcome: AllocatedSetpoints = { intervalId, vppId, requiredW: instruction.requiredW, setpoints };
    emitJson(ctx, SETPOINTS_ALLOCATED_EVENT, {
      intervalId,
      vppId,
      requiredW: instruction.requiredW,
      ders: setpoints.length,
    });
    return toCanonicalJson(outcome);
  }

  /** `{ instruction, setpoints }`: setpoints (by DER id) are empty until allocated. */
  @Transaction(false)
  @Returns('string')
  async GetDispatch(ctx: Context, intervalId: string, vppId: string): Promise<string> {
    parseDispatchRequest({ intervalId, vppId });
    const instruction = await requireInstruction(ctx, intervalId, vppId);
    const setpoints = await scanPrefix(ctx, derSetpointPrefix(intervalId, vppId), parseStoredSetpoint);
    return toCanonicalJson({
      instruction,
      setpoints: setpoints.map((entry) => entry.value),
    } satisfies DispatchView);
  }
}
