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
import { ProofContract } from './contracts/proof-contract';
import { RegistryContract } from './contracts/registry-contract';
import { SettlementContract } from './contracts/settlement-contract';
import { TelemetryContract } from './contracts/telemetry-contract';
import { installCpuProfileOnSignal } from './ops/cpu-profile-signal';
import { filterShimLogsBeforeFormatting } from './ops/shim-log-filter';
import { capturePeerCapabilities } from './ledger/state-batching';

// Process-wide hooks, installed when fabric-chaincode-node loads this module (before any peer
// connects): the profiling signal (`npm run bench -- telemetry --profile`), the record of what each
// connected peer offers (ledger/state-batching.ts), and the shim's log filter. The last two can be
// switched off (VPP_STATE_BATCHING=off, VPP_SHIM_LOG_FILTER=off in the environment of `npm start`):
// to measure what each gives, or to fall back should a peer misbehave.
installCpuProfileOnSignal();
if (process.env.VPP_STATE_BATCHING !== 'off') capturePeerCapabilities();
if (process.env.VPP_SHIM_LOG_FILTER !== 'off') filterShimLogsBeforeFormatting();

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
  ProofContract,
];
