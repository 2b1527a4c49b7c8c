/**
 * The ledger as routes see it: one typed facade per business area over the narrow FabricPort. Each
 * facade owns its contract's and transactions' names (from the chaincode API), the encoding of
 * arguments and the decoding of results, so routes never name a contract or a transaction. Autoload
 * loads only this index of the folder; the facades are plain modules.
 */
import { OWNER_PERSONAL_COLLECTION } from '../../../../../chaincode/src/api';
import fp from 'fastify-plugin';
import type { GatewayConfig } from '../../../config';
import type { FabricPort } from '../fabric-connection';
import { AuditLedger } from './audit-ledger';
import { CalendarLedger } from './calendar-ledger';
import { CreditLedger } from './credit-ledger';
import { DispatchLedger } from './dispatch-ledger';
import { MarketLedger } from './market-ledger';
import { OrgLedger } from './org-ledger';
import { PrivacyLedger } from './privacy-ledger';
import { ProofLedger } from './proof-ledger';
import { RegistryLedger } from './registry-ledger';
import { SettlementLedger } from './settlement-ledger';
import { TelemetryLedger } from './telemetry-ledger';

/** TSDoc'd port: the facades, by business area. */
export interface Ledger {
  readonly org: OrgLedger;
  readonly audit: AuditLedger;
  readonly registry: RegistryLedger;
  readonly telemetry: TelemetryLedger;
  readonly calendar: CalendarLedger;
  readonly market: MarketLedger;
  readonly dispatch: DispatchLedger;
  readonly settlement: SettlementLedger;
  readonly credit: CreditLedger;
  readonly privacy: PrivacyLedger;
  readonly proofs: ProofLedger;
}

declare module 'fastify' {
  interface FastifyInstance {
    ledger: Ledger;
  }
}

export function newLedger(fabric: FabricPort, config: GatewayConfig): Ledger {
  // Private owner data may go to the collection's members only, which endorse its writes.
  const ownerDataEndorsers =
    config.topology.chaincode.collections.find((c) => c.name === OWNER_PERSONAL_COLLECTION)?.members ?? [];
  return {
    org: new OrgLedger(fabric),
    audit: new AuditLedger(fabric),
    registry: new RegistryLedger(fabric),
    telemetry: new TelemetryLedger(fabric),
    calendar: new CalendarLedger(fabric),
    market: new MarketLedger(fabric),
    dispatch: new DispatchLedger(fabric),
    settlement: new SettlementLedger(fabric),
    credit: new CreditLedger(fabric),
    privacy: new PrivacyLedger(fabric, ownerDataEndorsers),
    proofs: new ProofLedger(fabric),
  };
}

export default fp(
  async (app, opts: { config: GatewayConfig }) => {
    app.decorate('ledger', newLedger(app.fabric, opts.config));
  },
  { name: 'ledger', dependencies: ['fabric-connection'] },
);
