// Entry point loaded by fabric-chaincode-node (package.json "main": dist/index.js). The `contracts`
// export is what Fabric registers; the first entry is the default contract. Clients import the
// chaincode's names, types and pure rules from api/, never from here (this module loads Fabric).

import { AuditContract } from './contracts/audit-contract';
import { CalendarContract } from './contracts/calendar-contract';
import { CreditContract } from './contracts/credit-contract';
import { DispatchContract } from './contracts/dispatch-contract';
import { MarketContract } from './contracts/market-contract';
import { OrgContract } from './contracts/org-contract';
import { PrivacyContract } from './contracts/privacy-contract';
import { RegistryContract } from './contracts/registry-contract';
import { SettlementContract } from './contracts/settlement-contract';
import { TelemetryContract } from './contracts/telemetry-contract';

export const contracts = [
  OrgContract,
  AuditContract,
  RegistryContract,
  TelemetryContract,
  CalendarContract,
  MarketContract,
  DispatchContract,
  CreditContract,
  SettlementContract,
  PrivacyContract,
];
