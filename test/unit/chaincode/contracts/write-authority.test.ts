// Every writing (submit) transaction of every contract checks the caller's MSP and role: the
// transactions are taken from the contracts' own metadata, so a new one without an entry here fails,
// and every (MSP, role) pair outside its authority is refused with FORBIDDEN before anything is
// written, whatever the arguments.
import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Context } from 'fabric-contract-api';
import { contracts } from '../../../../chaincode/src/index';
import {
  CONTROL_ROOM,
  KNOWN_MSP_IDS,
  KNOWN_ROLES,
  MEMBER_PEOPLE,
  MspId,
  ORG_ADMINS,
  REGULATOR_DESK,
  Role,
  ROLE_ATTRIBUTE,
  TRADING_DESK,
  VPP_OPERATOR,
  type Authority,
} from '../../../../chaincode/src/types/consortium';
import { ErrorCode } from '../../../../chaincode/src/types/errors';
import { MemoryLedger } from '../../../support/memory-stub';
import { expectFailure } from '../../../support/contract-harness';
import { vppError } from '../../../support/vpp-assert';

const REGULATOR_ADMIN: Authority = { [MspId.REGULATOR]: [Role.ADMIN] };

/** Who may call each writing transaction (the union over its arguments), kept in this one place. */
const WRITE_AUTHORITY: Record<string, Authority> = {
  'org.PutOrgProfile': ORG_ADMINS,
  'registry.RecordCaCertificates': ORG_ADMINS,
  'registry.RegisterVpp': VPP_OPERATOR,
  'registry.RegisterDer': VPP_OPERATOR,
  'registry.RegisterDers': VPP_OPERATOR,
  'registry.SuspendDer': { ...VPP_OPERATOR, ...REGULATOR_DESK },
  'registry.ReinstateDer': { ...VPP_OPERATOR, ...REGULATOR_DESK },
  'registry.RevokeDerCertificate': VPP_OPERATOR,
  'registry.ReplaceDerCertificate': VPP_OPERATOR,
  'telemetry.RecordReadings': { [MspId.CVPP]: [Role.INGEST, Role.OPERATOR, Role.ADMIN] },
  'calendar.InstallMarketCalendar': REGULATOR_ADMIN,
  'calendar.PublishMarketCalendar': REGULATOR_DESK,
  'market.OpenInterval': TRADING_DESK,
  'market.PostDemand': CONTROL_ROOM,
  'market.CommitBid': VPP_OPERATOR,
  'market.RevealBid': VPP_OPERATOR,
  'market.CommitBids': VPP_OPERATOR,
  'market.RevealBids': VPP_OPERATOR,
  'market.SetVppQuota': REGULATOR_DESK,
  'market.RecordUnrevealedViolations': { ...TRADING_DESK, ...REGULATOR_DESK },
  'market.ClearInterval': TRADING_DESK,
  'dispatch.IssueDispatch': CONTROL_ROOM,
  'dispatch.AcknowledgeDispatch': VPP_OPERATOR,
  'dispatch.AllocateSetpoints': VPP_OPERATOR,
  'credit.InstallDefaultRulebook': REGULATOR_ADMIN,
  'credit.PublishRulebook': REGULATOR_DESK,
  'credit.RecordCreditEvent': { ...CONTROL_ROOM, ...REGULATOR_DESK },
  'credit.SuspendParticipant': REGULATOR_DESK,
  'credit.ReinstateParticipant': REGULATOR_DESK,
  'settlement.SettleInterval': { ...TRADING_DESK, ...VPP_OPERATOR, ...REGULATOR_DESK },
  'privacy.PutOwnerData': VPP_OPERATOR,
  'privacy.GrantAccess': VPP_OPERATOR,
  'privacy.RevokeGrant': VPP_OPERATOR,
  'privacy.RecordAccess': MEMBER_PEOPLE,
  // The regulator's staff on demand, its gateway's service identity on the schedule.
  'proofs.RecordCheckpoint': { [MspId.REGULATOR]: [Role.REGULATOR, Role.ADMIN, Role.INGEST] },
};

/**
 * Arguments that pass a transaction's input checks where it checks input before the caller (so that
 * the refusal seen is the caller's); every other transaction gets `x` for each parameter.
 */
const WELL_FORMED_ARGS: Record<string, string[]> = {
  'credit.RecordCreditEvent': [
    JSON.stringify({ participant: { type: 'vpp', id: 'vpp-north' }, eventType: 'VIOLATION' }),
  ],
};

interface MetadataReflect {
  getMetadata(key: string, target: object): unknown;
}

interface WriteTx {
  readonly name: string;
  readonly params: number;
  readonly run: (ctx: Context, args: string[]) => Promise<unknown>;
}

function writeTransactions(): WriteTx[] {
  return contracts.flatMap((Type) => {
    const contract = new Type();
    // fabric-contract-api's decorators keep the transactions under this key (reflect-metadata).
    const metadata = (Reflect as unknown as MetadataReflect).getMetadata('fabric:transactions', contract) as {
      name: string;
      tag?: string[];
      parameters?: unknown[];
    }[];
    return metadata
      .filter((tx) => tx.tag?.includes('SUBMIT'))
      .map((tx) => ({
        name: `${contract.getName()}.${tx.name}`,
        params: tx.parameters?.length ?? 0,
        run: (ctx: Context, args: string[]) =>
          (contract as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[tx.name]!(
            ctx,
            ...args,
          ),
      }));
  });
}

const OUTSIDER_MSP = 'OutsiderMSP';

/** Every caller the authority does not admit: each MSP (and an outsider) with each role or none. */
function refusedCallers(authority: Authority): { mspId: string; role: string | undefined }[] {
  const callers: { mspId: string; role: string | undefined }[] = [];
  for (const mspId of [...KNOWN_MSP_IDS, OUTSIDER_MSP]) {
    for (const role of [...KNOWN_ROLES, undefined]) {
      const allowed = (authority as Record<string, readonly string[] | undefined>)[mspId] ?? [];
      if (role === undefined || !allowed.includes(role)) callers.push({ mspId, role });
    }
  }
  return callers;
}

describe('chaincode/contracts write authority', () => {
  const transactions = writeTransactions();

  it('should have an authority for exactly the submit transactions of the contracts', () => {
    assert.deepEqual(transactions.map((tx) => tx.name).sort(), Object.keys(WRITE_AUTHORITY).sort());
  });

  for (const tx of transactions) {
    it(`should refuse ${tx.name} to every caller of a wrong MSP or a wrong role`, async () => {
      const authority = WRITE_AUTHORITY[tx.name];
      assert.ok(authority, `${tx.name} has an authority in the table`);
      const args = WELL_FORMED_ARGS[tx.name] ?? Array.from({ length: tx.params }, () => 'x');
      const callers = refusedCallers(authority);
      // Both kinds are in the matrix: a wrong MSP with an admitted role, an admitted MSP with a wrong role.
      const admitted = Object.entries(authority) as [string, readonly string[]][];
      assert.ok(callers.some((c) => c.mspId === OUTSIDER_MSP && c.role === admitted[0]![1][0]));
      assert.ok(callers.some((c) => c.mspId === admitted[0]![0] && c.role === Role.DEVICE));
      const ledger = new MemoryLedger();
      for (const { mspId, role } of callers) {
        const attributes: Record<string, string> = role === undefined ? {} : { [ROLE_ATTRIBUTE]: role };
        const caller = { mspId, attributes };
        await expectFailure(
          ledger,
          { caller },
          (ctx) => tx.run(ctx, args),
          vppError(ErrorCode.FORBIDDEN, /caller|not allowed/),
        );
      }
    });
  }
});
