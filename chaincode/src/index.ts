// Entry point loaded by fabric-chaincode-node (package.json "main": dist/index.js). The `contracts`
// export is what Fabric registers; the first entry is the default contract.

import { AuditContract } from './contracts/audit-contract';
import { DispatchContract } from './contracts/dispatch-contract';
import { MarketContract } from './contracts/market-contract';
import { CreditContract } from './contracts/credit-contract';
import { OrgContract } from './contracts/org-contract';
import { PrivacyContract } from './contracts/privacy-contract';
import { RegistryContract } from './contracts/registry-contract';
import { TelemetryContract } from './contracts/telemetry-contract';
import { SettlementContract } from './contracts/settlement-contract';

export const contracts = [
  OrgContract,
  AuditContract,
  RegistryContract,
  TelemetryContract,
  MarketContract,
  DispatchContract,
  CreditContract,
  SettlementContract,
  PrivacyContract,
];

export { AuditContract, AUDIT_CONTRACT_NAME } from './contracts/audit-contract';
export type { HistoryEntry } from './ledger/store';
export { OrgContract, ORG_CONTRACT_NAME, ORG_PROFILE_UPDATED_EVENT } from './contracts/org-contract';
export {
  RegistryContract,
  REGISTRY_CONTRACT_NAME,
  DER_REGISTERED_EVENT,
  DER_UPDATED_EVENT,
} from './contracts/registry-contract';
export {
  TelemetryContract,
  TELEMETRY_CONTRACT_NAME,
  READINGS_RECORDED_EVENT,
  type BatchResult,
  type ReadingResult,
} from './contracts/telemetry-contract';
export {
  MarketContract,
  MARKET_CONTRACT_NAME,
  INTERVAL_OPENED_EVENT,
  DEMAND_POSTED_EVENT,
  BID_COMMITTED_EVENT,
  BID_REVEALED_EVENT,
  VPP_QUOTA_SET_EVENT,
  VIOLATIONS_RECORDED_EVENT,
  INTERVAL_CLEARED_EVENT,
} from './contracts/market-contract';
export {
  DispatchContract,
  DISPATCH_CONTRACT_NAME,
  DISPATCH_ISSUED_EVENT,
  DISPATCH_ACKNOWLEDGED_EVENT,
  SETPOINTS_ALLOCATED_EVENT,
} from './contracts/dispatch-contract';
export {
  CreditContract,
  CREDIT_CONTRACT_NAME,
  CREDIT_EVENT_RECORDED_EVENT,
  PARTICIPANT_REINSTATED_EVENT,
  PARTICIPANT_SUSPENDED_EVENT,
  RULEBOOK_PUBLISHED_EVENT,
} from './contracts/credit-contract';
export {
  applyCreditEvents,
  creditStandingOf,
  type CreditEffects,
  type CreditStandingDetails,
} from './contracts/credit-effects';
export type { CreditEventType, RulebookInput, RulebookVersion } from './domain/credit/rulebook';
export type {
  CreditEvent,
  CreditStanding,
  Participant,
  RankedParticipant,
  ScoreRecord,
  SuspensionRecord,
} from './domain/credit/scoring';
export type { Der, DerType } from './domain/registry/der';
export type { SignedReading, UnsignedReading } from './domain/telemetry/reading';
export type { OrgProfile, OrgProfileAuthor, OrgProfileInput } from './domain/org/org-profile';
export {
  KNOWN_MSP_IDS,
  KNOWN_ORG_ROLES,
  KNOWN_ROLES,
  MspId,
  OrgRole,
  ROLE_ATTRIBUTE,
  Role,
} from './types/consortium';
export { ErrorCode, VppError, parseVppErrorMessage } from './types/errors';
export {
  SettlementContract,
  SETTLEMENT_CONTRACT_NAME,
  INTERVAL_SETTLED_EVENT,
  SETTLEMENT_TOLERANCE_BPS,
} from './contracts/settlement-contract';
export type { DerSettlementLine, VppSettlementLine } from './domain/settlement/settlement';
export type { DerStatement, VppStatement } from './domain/settlement/statement';
export {
  PrivacyContract,
  PRIVACY_CONTRACT_NAME,
  OWNER_PERSONAL_COLLECTION,
  OWNER_DATA_TRANSIENT,
} from './contracts/privacy-contract';
