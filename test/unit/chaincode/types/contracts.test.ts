import '../../../support/quiet-logs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contracts } from '../../../../chaincode/src/index';
import {
  AUDIT_CONTRACT_NAME,
  AUDIT_TX,
  CALENDAR_CONTRACT_NAME,
  CALENDAR_TX,
  CREDIT_CONTRACT_NAME,
  CREDIT_TX,
  DISPATCH_CONTRACT_NAME,
  DISPATCH_TX,
  MARKET_CONTRACT_NAME,
  MARKET_TX,
  ORG_CONTRACT_NAME,
  ORG_TX,
  PRIVACY_CONTRACT_NAME,
  PRIVACY_TX,
  PROOF_CONTRACT_NAME,
  PROOF_TX,
  REGISTRY_CONTRACT_NAME,
  REGISTRY_TX,
  SETTLEMENT_CONTRACT_NAME,
  SETTLEMENT_TX,
  TELEMETRY_CONTRACT_NAME,
  TELEMETRY_TX,
} from '../../../../chaincode/src/types/contracts';

/** Contract name → the transaction names clients are given. */
const NAMES: Record<string, Readonly<Record<string, string>>> = {
  [ORG_CONTRACT_NAME]: ORG_TX,
  [AUDIT_CONTRACT_NAME]: AUDIT_TX,
  [REGISTRY_CONTRACT_NAME]: REGISTRY_TX,
  [TELEMETRY_CONTRACT_NAME]: TELEMETRY_TX,
  [CALENDAR_CONTRACT_NAME]: CALENDAR_TX,
  [MARKET_CONTRACT_NAME]: MARKET_TX,
  [DISPATCH_CONTRACT_NAME]: DISPATCH_TX,
  [CREDIT_CONTRACT_NAME]: CREDIT_TX,
  [SETTLEMENT_CONTRACT_NAME]: SETTLEMENT_TX,
  [PRIVACY_CONTRACT_NAME]: PRIVACY_TX,
  [PROOF_CONTRACT_NAME]: PROOF_TX,
};

describe('types/contracts', () => {
  it('should name every contract the chaincode registers, and no other', () => {
    const registered = contracts.map((ContractClass) => new ContractClass().getName());
    assert.deepEqual([...registered].sort(), Object.keys(NAMES).sort());
  });

  it("should give each contract exactly its class's transactions, each constant equal to its name", () => {
    for (const ContractClass of contracts) {
      const name = new ContractClass().getName();
      const methods = Object.getOwnPropertyNames(ContractClass.prototype).filter((m) => m !== 'constructor');
      const tx = NAMES[name] ?? {};
      assert.deepEqual(Object.keys(tx).sort(), [...methods].sort(), name);
      for (const [key, value] of Object.entries(tx)) {
        assert.equal(value, key, `${name}.${key}`);
      }
    }
  });
});
