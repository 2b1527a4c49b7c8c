// Pins the public transaction surface of the compiled chaincode as Fabric itself sees it: the metadata
// is produced by fabric-chaincode-node from chaincode/dist, exactly as the peer-facing server loads it.
// Adding, removing or renaming a transaction, flipping submit/evaluate, or leaving a method
// undecorated (which would make every method, helpers included, a submit transaction) fails here.
import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Contract } from 'fabric-contract-api';
import { contracts } from '../../../../chaincode/src/index';
import { CHAINCODE_MODULE_PATH, FABRIC_CHAINCODE_NODE_CLI, REPO_ROOT } from '../../../support/repo';

interface TxMetadata {
  name: string;
  tag?: string[];
  parameters?: { name: string }[];
}
interface Metadata {
  contracts: Record<string, { contractInstance: { default?: boolean }; transactions: TxMetadata[] }>;
}

/** Every contract's transactions: name -> [kind, parameter names]. Update deliberately. */
const EXPECTED: Record<string, Record<string, ['submit' | 'evaluate', string[]]>> = {
  org: {
    PutOrgProfile: ['submit', ['profileJson']],
    GetOrgProfile: ['evaluate', ['mspId']],
    ListOrgProfiles: ['evaluate', []],
  },
  audit: {
    GetKeyHistory: ['evaluate', ['key', 'pageSize', 'bookmark']],
  },
  registry: {
    RecordCaCertificates: ['submit', ['certificatesJson']],
    GetCaCertificates: ['evaluate', ['mspId']],
    RegisterVpp: ['submit', ['vppJson']],
    GetVpp: ['evaluate', ['vppId']],
    ListVpps: ['evaluate', ['pageSize', 'bookmark']],
    RegisterDer: ['submit', ['derJson']],
    RegisterDers: ['submit', ['dersJson']],
    GetDer: ['evaluate', ['derId']],
    GetDers: ['evaluate', ['derIdsJson']],
    GetDerByCertificate: ['evaluate', ['serial']],
    ListDersByVpp: ['evaluate', ['vppId', 'pageSize', 'bookmark']],
    SuspendDer: ['submit', ['derId', 'reason']],
    ReinstateDer: ['submit', ['derId', 'reason']],
    RevokeDerCertificate: ['submit', ['derId', 'serial', 'reason']],
    ReplaceDerCertificate: ['submit', ['derId', 'certificatePem']],
  },
  telemetry: {
    RecordReadings: ['submit', ['batchJson']],
    GetDerReadings: ['evaluate', ['derId', 'intervalId']],
    ListVppReadings: ['evaluate', ['vppId', 'intervalId', 'pageSize', 'bookmark']],
  },
  market: {
    OpenInterval: ['submit', ['intervalJson']],
    GetInterval: ['evaluate', ['intervalId']],
    ListIntervals: ['evaluate', ['pageSize', 'bookmark']],
    PostDemand: ['submit', ['demandJson']],
    CommitBid: ['submit', ['commitmentJson']],
    RevealBid: ['submit', ['intervalId', 'bidJson', 'salt']],
    CommitBids: ['submit', ['commitmentsJson']],
    RevealBids: ['submit', ['intervalId', 'revealsJson']],
    SetVppQuota: ['submit', ['vppId', 'quantity']],
    GetVppQuota: ['evaluate', ['vppId']],
    RecordUnrevealedViolations: ['submit', ['intervalId']],
    ListVppViolations: ['evaluate', ['vppId', 'pageSize', 'bookmark']],
    ClearInterval: ['submit', ['intervalId']],
    GetClearing: ['evaluate', ['intervalId']],
    VerifyClearing: ['evaluate', ['intervalId']],
  },
  dispatch: {
    IssueDispatch: ['submit', ['intervalId', 'vppId']],
    AcknowledgeDispatch: ['submit', ['intervalId', 'vppId']],
    AllocateSetpoints: ['submit', ['intervalId', 'vppId']],
    GetDispatch: ['evaluate', ['intervalId', 'vppId']],
  },
  calendar: {
    InstallMarketCalendar: ['submit', ['calendarJson']],
    PublishMarketCalendar: ['submit', ['calendarJson']],
    GetMarketCalendar: ['evaluate', ['version']],
    GetMarketCalendarInForce: ['evaluate', ['atIso']],
    ListMarketCalendarVersions: ['evaluate', []],
  },
  credit: {
    InstallDefaultRulebook: ['submit', []],
    PublishRulebook: ['submit', ['rulebookJson']],
    GetRulebook: ['evaluate', ['version']],
    GetRulebookInForce: ['evaluate', ['atIso']],
    ListRulebookVersions: ['evaluate', []],
    RecordCreditEvent: ['submit', ['eventJson']],
    SuspendParticipant: ['submit', ['participantJson', 'reason']],
    ReinstateParticipant: ['submit', ['participantJson', 'reason']],
    GetCreditStanding: ['evaluate', ['participantType', 'participantId']],
    ListScoreRecords: ['evaluate', ['participantType', 'participantId', 'pageSize', 'bookmark']],
    RankParticipants: ['evaluate', ['participantType']],
  },
  settlement: {
    SettleInterval: ['submit', ['intervalId', 'vppId']],
    GetVppSettlement: ['evaluate', ['intervalId', 'vppId']],
    VerifySettlement: ['evaluate', ['intervalId', 'vppId']],
    GetDerStatement: ['evaluate', ['derId', 'period', 'unit']],
    GetVppStatement: ['evaluate', ['vppId', 'period', 'unit']],
  },
  privacy: {
    PutOwnerData: ['submit', ['derId']],
    GetOwnerData: ['evaluate', ['derId']],
    GetOwnerDataHash: ['evaluate', ['derId']],
    GrantAccess: ['submit', ['grantJson']],
    RevokeGrant: ['submit', ['grantId']],
    GetGrant: ['evaluate', ['grantId']],
    ListGrantsOfDer: ['evaluate', ['derId', 'pageSize', 'bookmark']],
    RecordAccess: ['submit', ['grantId', 'dataSetJson']],
    GetAccessTicket: ['evaluate', ['txId']],
    ListAccessLog: ['evaluate', ['grantId', 'pageSize', 'bookmark']],
    GetSampleAnchor: ['evaluate', ['anchorId']],
  },
  proofs: {
    AttestRecord: ['evaluate', ['key']],
    RecordCheckpoint: ['submit', ['checkpointJson']],
    GetCheckpointFrom: ['evaluate', ['blockNumber']],
    GetLatestCheckpoint: ['evaluate', []],
    ListCheckpoints: ['evaluate', ['pageSize', 'bookmark']],
  },
};
const DEFAULT_CONTRACT = 'org';
const SYSTEM_CONTRACT = 'org.hyperledger.fabric';

async function generateMetadata(): Promise<Metadata> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vpp-metadata-'));
  try {
    const file = path.join(dir, 'metadata.json');
    await promisify(execFile)(
      process.execPath,
      [
        FABRIC_CHAINCODE_NODE_CLI,
        'metadata',
        'generate',
        '--module-path',
        CHAINCODE_MODULE_PATH,
        '--file',
        file,
      ],
      { cwd: REPO_ROOT, timeout: 30_000, env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING' } },
    );
    return JSON.parse(await readFile(file, 'utf8')) as Metadata;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const kindOf = (tx: TxMetadata): string => {
  const tags = [...(tx.tag ?? [])].sort().join(',');
  return tags === 'EVALUATE'
    ? 'evaluate'
    : tags === 'SUBMIT,submitTx'
      ? 'submit'
      : `unexpected tags [${tags}]`;
};

describe('contracts/metadata', () => {
  let metadata: Metadata;

  before(async () => {
    metadata = await generateMetadata();
  });

  describe('fabric-chaincode-node metadata generate', () => {
    it('should list exactly the expected contracts plus the system contract', () => {
      assert.deepEqual(
        Object.keys(metadata.contracts).sort(),
        [...Object.keys(EXPECTED), SYSTEM_CONTRACT].sort(),
      );
    });

    it(`should make '${DEFAULT_CONTRACT}' the default contract`, () => {
      const defaults = Object.entries(metadata.contracts).filter(
        ([, c]) => c.contractInstance.default === true,
      );
      assert.deepEqual(
        defaults.map(([name]) => name),
        [DEFAULT_CONTRACT],
      );
    });

    for (const [contractName, expected] of Object.entries(EXPECTED)) {
      it(`should pin the transactions of '${contractName}': names, submit/evaluate and parameters`, () => {
        const actual = Object.fromEntries(
          metadata.contracts[contractName]?.transactions.map((tx) => [
            tx.name,
            [kindOf(tx), (tx.parameters ?? []).map((p) => p.name)],
          ]) ?? [],
        );
        assert.deepEqual(actual, expected);
      });
    }
  });

  describe('contract classes', () => {
    it('should expose exactly the contracts pinned above', () => {
      const names = contracts.map((ContractClass) => new ContractClass().getName());
      assert.deepEqual(names.sort(), Object.keys(EXPECTED).sort());
    });

    it('should define no methods besides transactions and Contract hooks (helpers stay module-level)', () => {
      const hooks = new Set(Object.getOwnPropertyNames(Contract.prototype));
      for (const ContractClass of contracts) {
        const instance = new ContractClass();
        const transactions = new Set(Object.keys(EXPECTED[instance.getName()] ?? {}));
        for (let proto: unknown = ContractClass.prototype; proto !== Contract.prototype && proto !== null;) {
          const owner = proto as object;
          for (const name of Object.getOwnPropertyNames(owner)) {
            if (name === 'constructor') continue;
            assert.ok(
              transactions.has(name) || hooks.has(name),
              `${owner.constructor.name}.${name} is neither a pinned transaction nor a Contract hook`,
            );
          }
          proto = Object.getPrototypeOf(owner);
        }
      }
    });
  });
});
