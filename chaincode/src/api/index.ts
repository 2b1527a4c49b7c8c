// The chaincode as its clients see it: the REST gateway, the device kit, network setup and the
// benchmarks import the chaincode through this module only (ESLint holds them to it). It names the
// contracts, their transactions and events, the request and response shapes of the transactions,
// the error codes and their parser, the field-rule patterns, the consortium's constants, and the
// pure rules a client applies exactly as the chaincode does (reading and commitment bytes, Merkle
// proofs, owner-data hashes, settlement). It imports pure modules only, so loading it never loads
// fabric-contract-api or fabric-shim into a client process (a unit test holds it to that).

// ---- names of contracts, transactions and events ----

export * from '../types/contracts';

// ---- errors: `CODE: text` messages and their parser ----

export { ErrorCode, VppError, isErrorCode, isVppError, parseVppErrorMessage } from '../types/errors';

// ---- the consortium: MSP IDs, roles, certificate attributes, who may do what ----

export * from '../types/consortium';

// ---- field rules, as pattern sources for JSON schemas ----

export {
  ENTITY_ID_PATTERN,
  ENTITY_ID_PATTERN_SOURCE,
  MARKET_ID_PATTERN,
  MARKET_ID_PATTERN_SOURCE,
  TX_ID_PATTERN,
  TX_ID_PATTERN_SOURCE,
} from '../rules/ids';
export { ISO_INSTANT_PATTERN_SOURCE } from '../rules/instants';
export { SHA256_HEX_PATTERN_SOURCE } from '../rules/hex';
export {
  DISPLAY_NAME_RULE,
  FREE_TEXT_EXCLUDED_CLASS,
  FREE_TEXT_PATTERN_SOURCE,
  isFreeText,
  REASON_RULE,
} from '../rules/text';
export { MAX_DER_PAGE_SIZE, MAX_HISTORY_PAGE_SIZE, MAX_PAGE_SIZE } from '../rules/lists';

// ---- org and audit ----

export type { OrgProfile, OrgProfileAuthor, OrgProfileInput } from '../domain/org/org-profile';
export type { HistoryEntry, HistoryPage } from '../types/history';

// ---- registry and device certificates ----

export { MAX_FEE_BPS, type Vpp, type VppInput, type VppPage } from '../domain/registry/vpp';
export {
  DER_STATUSES,
  DER_TYPES,
  MAX_CAPACITY_W,
  parseStoredDer,
  type Der,
  type DerCertificate,
  type DerInput,
  type DerPage,
  type DerStatus,
  type DerType,
} from '../domain/registry/der';
export {
  MAX_DER_BATCH_SIZE,
  type DerBatchResult,
  type DerRegistrationResult,
} from '../domain/registry/der-batch';
export type { CaCertificates } from '../domain/registry/ca-certificates';
export { fabricAttrsOf, normalSerial, serialOf } from '../domain/pki/certificate';

// ---- the market calendar: metering grid, reading window, bounds of market instants ----

export {
  calendarAt,
  calendarHistory,
  CALENDAR_DESCRIPTION_RULE,
  CLOCK_SKEW_SECONDS_RULE,
  DEFAULT_MARKET_CALENDAR,
  MAX_DELIVERY_SECONDS_RULE,
  MAX_LEAD_SECONDS_RULE,
  maxEnergyWh,
  meteringIntervalIdAt,
  METERING_INTERVAL_SECONDS_RULE,
  parseMarketCalendarInput,
  READING_WINDOW_SECONDS_RULE,
  requireMeteringInterval,
  type MarketCalendarHistory,
  type MarketCalendarInput,
  type MarketCalendarRules,
  type MarketCalendarVersion,
} from '../domain/market/calendar';

// ---- telemetry: the signed reading format and batch results ----

export {
  checkReading,
  intervalIdOf,
  MAX_SEQUENCE,
  parseSignedReading,
  READING_TYPE,
  readingSigningBytes,
  rejectionOf,
  verifyReadingSignature,
  SIGNATURE_SCHEMES,
  type SignatureScheme,
  type ReadingPage,
  type SignedReading,
  type StoredReading,
  type UnsignedReading,
} from '../domain/telemetry/reading';
export { canonicalSignature } from '../domain/telemetry/signature';
export { pemBody, pemOf } from '../encoding/pem';
// ---- proofs: the keys a proof bundle may be made for ----
export { PROVABLE_OBJECT_TYPES, sampleAnchorKey } from '../encoding/keys';
export { boundSm2Key, deviceKeysOf, type DeviceKeys } from '../domain/pki/device-keys';
export {
  parseSm2PublicKeyHex,
  SM2_CURVE_OID,
  SM2_DEFAULT_ID,
  SM2_PUBLIC_KEY_ATTRIBUTE,
  sm2PublicKeyFromPem,
  sm2PublicKeyPem,
  verifySm2Sm3,
} from '../domain/pki/sm2';
export {
  MAX_BATCH_SIZE,
  type BatchResult,
  type ReadingResult,
  type ReadingStatus,
} from '../domain/telemetry/batch';

// ---- market and dispatch ----

export {
  IntervalPhase,
  KNOWN_MARKET_PRODUCTS,
  MarketProduct,
  quantityUnitOf,
  type MarketInterval,
  type MarketIntervalInput,
} from '../domain/market/interval';
export type { QuantityUnit } from '../rules/units';
export type { Demand, DemandInput } from '../domain/market/demand';
export {
  commitmentPreimage,
  computeCommitment,
  MAX_BID_STEPS,
  SALT_BYTES,
  type Bid,
  type BidCommitment,
  type BidStep,
  type CommitmentInput,
} from '../domain/market/bid';
export { ViolationReason, type BidViolation, type RevealedBid } from '../domain/market/reveal';
export {
  MAX_PORTFOLIO_BIDS,
  MAX_PORTFOLIO_JSON_LENGTH,
  type PortfolioBidResult,
  type PortfolioResult,
} from '../domain/market/portfolio';
export type { VppQuota } from '../domain/market/quota';
export type { AcceptedStep, Award, ClearingResult } from '../domain/market/clearing';
export type {
  ClearingCheck,
  ClearingRecord,
  IntervalView,
  IntervalPage,
  ViolationPage,
  ViolationsRecorded,
} from '../domain/market/records';
export type { MarketActor } from '../domain/market/common';
export {
  DispatchStatus,
  type DerSetpoint,
  type DispatchInstruction,
  type DispatchRequest,
} from '../domain/market/dispatch';
export type { AllocatedSetpoints, DerSetpointRecord, DispatchView } from '../domain/market/setpoints';

// ---- credit ----

export {
  CreditEventType,
  DESCRIPTION_RULE,
  INDICATOR_ID_PATTERN,
  KNOWN_CREDIT_EVENT_TYPES,
  LEVEL_NAME_PATTERN,
  MAX_EVENT_RULES,
  MAX_INDICATORS,
  MAX_LEVELS,
  MAX_PENALTY_FACTOR_PERMILLE,
  MIN_LEVELS,
  SCORE_MAX,
  SCORE_MIN,
  SUSPENDED_LEVEL,
  WEIGHT_TOTAL,
  type EventEffect,
  type EventRule,
  type IndicatorRule,
  type LevelRule,
  type RulebookInput,
  type RulebookVersion,
} from '../domain/credit/rulebook';
export { DEFAULT_RULEBOOK } from '../domain/credit/default-rulebook';
export {
  KNOWN_PARTICIPANT_TYPES,
  ParticipantType,
  type CreditEvent,
  type IndicatorValues,
  type Participant,
  type ScoreRecord,
  type ScoreRecordPage,
} from '../domain/credit/scoring';
export type {
  CreditStanding,
  CreditStandingDetails,
  RankedParticipant,
  RankedStanding,
  Ranking,
} from '../domain/credit/standing';
export {
  SUSPENSION_REASON_RULE,
  SuspensionStatus,
  type SuspensionInput,
  type SuspensionRecord,
} from '../domain/credit/suspension';
export {
  checkDirectEvent,
  DIRECT_EVENT_AUTHORITIES,
  type CreditEventRecorded,
  type DirectEventAuthority,
  type DirectEventInput,
} from '../domain/credit/direct-events';

// ---- settlement ----

export {
  SETTLEMENT_FORMULA_VERSION,
  type DerReadings,
  type MeterReading,
  type SettlementAward,
  type SettlementInputs,
} from '../domain/settlement/inputs';
export {
  settleInterval,
  type SettlementOutcome,
  type SettlementResult,
  type StandingSummary,
} from '../domain/settlement/settlement';
export type { DerSettlementLine, StoredSettlement, VppSettlementLine } from '../domain/settlement/lines';
export type { SettlementCheck } from '../domain/settlement/verification';
export { SETTLEMENT_TOLERANCE_BPS } from '../domain/settlement/sources';
export {
  KNOWN_STATEMENT_UNITS,
  StatementUnit,
  type DerStatement,
  type DerStatementView,
  type StatementScope,
  type VppStatement,
  type VppStatementView,
} from '../domain/settlement/statement';

// ---- privacy: owner data, consent, samples and their Merkle proofs ----

export {
  ownerDataBytes,
  ownerDataHash,
  parseOwnerData,
  type OwnerData,
  type OwnerDataFingerprint,
  type OwnerDataHash,
} from '../domain/privacy/owner-data';
export {
  DATA_SET_KINDS,
  isGrantValidAt,
  NO_VALID_GRANT,
  parseStoredAccessLogEntry,
  parseStoredGrant,
  type AccessLogEntry,
  type AccessLogPage,
  type ConsentGrant,
  type DataSet,
  type DataSetKind,
  type GrantPage,
  type GrantInput,
} from '../domain/privacy/consent';
export {
  MAX_ANCHOR_SAMPLES,
  parseSample,
  SAMPLE_TYPE,
  sampleBytes,
  sampleLeaf,
  type Sample,
  type SampleAnchor,
  type SampleAnchorInput,
} from '../domain/privacy/samples';
export {
  leafHash,
  merkleProof,
  merkleRoot,
  verifyMerkleProof,
  type MerkleProof,
} from '../domain/privacy/merkle';

// ---- operations: the CPU-profile signal every Node process of the network answers ----

export { cpuProfileFile, installCpuProfileOnSignal, PROFILE_SIGNAL } from '../ops/cpu-profile-signal';
