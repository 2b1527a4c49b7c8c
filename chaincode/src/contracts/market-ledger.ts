// Caller checks and ledger reads shared by the market and dispatch contracts. Everything here is a
// module-level function, never a contract method, so none of it can become a transaction.

import type { Context } from 'fabric-contract-api';
import type { MarketActor } from '../domain/market/common';
import { parseStoredMarketInterval, type MarketInterval } from '../domain/market/interval';
import { parseStoredClearingRecord, type ClearingRecord } from '../domain/market/records';
import { parseStoredDer, type Der } from '../domain/registry/der';
import { parseStoredVpp, type Vpp } from '../domain/registry/vpp';
import { parseJson, type JsonValue } from '../encoding/canonical-json';
import { requireMsp, requireRole } from '../ledger/identity';
import { clearingKey, derByVppPrefix, derKey, marketIntervalKey, vppKey } from '../encoding/keys';
import { requireState, scanPrefix, type Decoder } from '../ledger/store';
import { MARKET_ID, requireId } from '../rules';
import { MspId, Role } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';

/** Market arguments are small JSON objects (a bid has at most ten steps); refuse to parse more. */
export const MAX_MARKET_ARGUMENT_LENGTH = 16 * 1024;

export function parseMarketArgument(json: string, what: string): JsonValue {
  if (typeof json !== 'string' || json.length > MAX_MARKET_ARGUMENT_LENGTH) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `${what} must be JSON text of at most ${MAX_MARKET_ARGUMENT_LENGTH} characters`,
    );
  }
  return parseJson(json);
}

/** Which roles of which organisation may perform an operation. */
export type Authority = Partial<Record<MspId, readonly Role[]>>;

/** The trading centre's traders (and its admins). */
export const TRADING_DESK: Authority = { [MspId.TRADING]: [Role.TRADING, Role.ADMIN] };
/** The control centre's dispatchers (and its admins). */
export const CONTROL_ROOM: Authority = { [MspId.CONTROL]: [Role.CONTROL, Role.ADMIN] };
/** The commercial VPP operator's operators (and its admins). */
export const VPP_OPERATOR: Authority = { [MspId.CVPP]: [Role.OPERATOR, Role.ADMIN] };
/** The regulator's staff (and its admins). */
export const REGULATOR_DESK: Authority = { [MspId.REGULATOR]: [Role.REGULATOR, Role.ADMIN] };

/** FORBIDDEN unless the caller's MSP and role are allowed; returns the caller as records name it. */
export function requireActor(ctx: Context, ...authorities: Authority[]): MarketActor {
  const allowed: Authority = Object.assign({}, ...authorities);
  const mspId = requireMsp(ctx, Object.keys(allowed) as MspId[]);
  const role = requireRole(ctx, allowed[mspId] ?? []);
  return { mspId, role };
}

export async function requireMarketInterval(ctx: Context, intervalId: string): Promise<MarketInterval> {
  requireId({ intervalId }, 'intervalId', MARKET_ID);
  return requireState(
    ctx,
    marketIntervalKey(intervalId),
    parseStoredMarketInterval,
    `market interval ${intervalId}`,
  );
}

/** The interval's clearing record (NOT_FOUND until it was cleared). */
export async function requireClearingRecord(ctx: Context, intervalId: string): Promise<ClearingRecord> {
  return requireState(
    ctx,
    clearingKey(intervalId),
    parseStoredClearingRecord,
    `clearing of interval ${intervalId}`,
  );
}

/** The VPP, which must exist (NOT_FOUND) and be run by the caller's organisation (FORBIDDEN). */
export async function requireOperatedVpp(ctx: Context, vppId: string, caller: MarketActor): Promise<Vpp> {
  requireId({ vppId }, 'vppId', MARKET_ID);
  const vpp = await requireState(ctx, vppKey(vppId), parseStoredVpp, `vpp ${vppId}`);
  if (vpp.operatorMspId !== caller.mspId) {
    throw new VppError(
      ErrorCode.FORBIDDEN,
      `vpp ${vppId} is operated by ${vpp.operatorMspId}, not by ${caller.mspId}`,
    );
  }
  return vpp;
}

const parseDerId: Decoder<string> = (value) => {
  if (typeof value !== 'string') {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, 'index entry must be a DER id');
  }
  return value;
};

/** Every DER registered under the VPP, in DER id order (one scan of the index, one read per DER). */
export async function dersOfVpp(ctx: Context, vppId: string): Promise<Der[]> {
  const entries = await scanPrefix(ctx, derByVppPrefix(vppId), parseDerId);
  const ders: Der[] = [];
  for (const entry of entries) {
    ders.push(await requireState(ctx, derKey(entry.value), parseStoredDer, `der ${entry.value}`));
  }
  return ders;
}
