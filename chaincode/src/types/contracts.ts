// The names clients call the chaincode by: each contract's name, its transactions and the chaincode
// events its transactions emit. The contract classes take their names and emit their events from
// here; the transaction names are the classes' method names, and a unit test holds the two equal
// (a method name cannot be taken from a constant).

/** The transactions of a contract, by name: `MARKET_TX.OpenInterval === 'OpenInterval'`. */
type TxNames<T extends string> = { readonly [K in T]: K };

function txNames<T extends string>(...names: T[]): TxNames<T> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as TxNames<T>;
}

// ---- org: each member's profile ----

export const ORG_CONTRACT_NAME = 'org';
export const ORG_TX = txNames('PutOrgProfile', 'GetOrgProfile', 'ListOrgProfiles');
export const ORG_PROFILE_UPDATED_EVENT = 'OrgProfileUpdated';

// ---- audit: key history, for the regulator ----

export const AUDIT_CONTRACT_NAME = 'audit';
export const AUDIT_TX = txNames('GetKeyHistory');

// ---- proofs: checkpoints and attested reads, for offline-verifiable proof bundles ----

export const PROOF_CONTRACT_NAME = 'proofs';
export const PROOF_TX = txNames(
  'AttestRecord',
  'RecordCheckpoint',
  'GetCheckpointFrom',
  'GetLatestCheckpoint',
  'ListCheckpoints',
);
export const CHECKPOINT_RECORDED_EVENT = 'CheckpointRecorded';

// ---- registry: VPPs, DERs, device certificates, CA certificates ----

export const REGISTRY_CONTRACT_NAME = 'registry';
export const REGISTRY_TX = txNames(
  'RecordCaCertificates',
  'GetCaCertificates',
  'RegisterVpp',
  'GetVpp',
  'ListVpps',
  'RegisterDer',
  'RegisterDers',
  'GetDer',
  'GetDers',
  'GetDerByCertificate',
  'ListDersByVpp',
  'SuspendDer',
  'ReinstateDer',
  'RevokeDerCertificate',
  'ReplaceDerCertificate',
);
export const DER_REGISTERED_EVENT = 'DerRegistered';
/** One per bulk registration: `{ txId, registered, refused, derIds }` (the DERs it registered). */
export const DERS_REGISTERED_EVENT = 'DersRegistered';
export const DER_UPDATED_EVENT = 'DerUpdated';
export const VPP_REGISTERED_EVENT = 'VppRegistered';
export const CA_CERTIFICATES_RECORDED_EVENT = 'CaCertificatesRecorded';

// ---- telemetry: device-signed readings ----

export const TELEMETRY_CONTRACT_NAME = 'telemetry';
export const TELEMETRY_TX = txNames('RecordReadings', 'GetDerReadings', 'ListVppReadings');
export const READINGS_RECORDED_EVENT = 'ReadingsRecorded';

// ---- market: intervals, demand, sealed bids, quotas, clearing ----

export const MARKET_CONTRACT_NAME = 'market';
export const MARKET_TX = txNames(
  'OpenInterval',
  'GetInterval',
  'ListIntervals',
  'PostDemand',
  'CommitBid',
  'RevealBid',
  'CommitBids',
  'RevealBids',
  'SetVppQuota',
  'GetVppQuota',
  'RecordUnrevealedViolations',
  'ListVppViolations',
  'ClearInterval',
  'GetClearing',
  'VerifyClearing',
);
export const INTERVAL_OPENED_EVENT = 'IntervalOpened';
export const DEMAND_POSTED_EVENT = 'DemandPosted';
export const BID_COMMITTED_EVENT = 'BidCommitted';
export const BID_REVEALED_EVENT = 'BidRevealed';
export const BIDS_COMMITTED_EVENT = 'BidsCommitted';
export const BIDS_REVEALED_EVENT = 'BidsRevealed';
export const VPP_QUOTA_SET_EVENT = 'VppQuotaSet';
export const VIOLATIONS_RECORDED_EVENT = 'UnrevealedViolationsRecorded';
export const INTERVAL_CLEARED_EVENT = 'IntervalCleared';

// ---- dispatch: instructions and per-DER setpoints ----

export const DISPATCH_CONTRACT_NAME = 'dispatch';
export const DISPATCH_TX = txNames(
  'IssueDispatch',
  'AcknowledgeDispatch',
  'AllocateSetpoints',
  'GetDispatch',
);
export const DISPATCH_ISSUED_EVENT = 'DispatchIssued';
export const DISPATCH_ACKNOWLEDGED_EVENT = 'DispatchAcknowledged';
export const SETPOINTS_ALLOCATED_EVENT = 'SetpointsAllocated';

// ---- credit: rulebook, scoring, suspensions, standings ----

export const CREDIT_CONTRACT_NAME = 'credit';
export const CREDIT_TX = txNames(
  'InstallDefaultRulebook',
  'PublishRulebook',
  'GetRulebook',
  'GetRulebookInForce',
  'ListRulebookVersions',
  'RecordCreditEvent',
  'SuspendParticipant',
  'ReinstateParticipant',
  'GetCreditStanding',
  'ListScoreRecords',
  'RankParticipants',
);
export const RULEBOOK_PUBLISHED_EVENT = 'CreditRulebookPublished';
export const CREDIT_EVENT_RECORDED_EVENT = 'CreditEventRecorded';
export const PARTICIPANT_SUSPENDED_EVENT = 'ParticipantSuspended';
export const PARTICIPANT_REINSTATED_EVENT = 'ParticipantReinstated';

// ---- calendar: the regulator's versioned market calendar ----

export const CALENDAR_CONTRACT_NAME = 'calendar';
export const CALENDAR_TX = txNames(
  'InstallMarketCalendar',
  'PublishMarketCalendar',
  'GetMarketCalendar',
  'GetMarketCalendarInForce',
  'ListMarketCalendarVersions',
);
export const MARKET_CALENDAR_PUBLISHED_EVENT = 'MarketCalendarPublished';

// ---- settlement: per interval, VPP and DER; statements ----

export const SETTLEMENT_CONTRACT_NAME = 'settlement';
export const SETTLEMENT_TX = txNames(
  'SettleInterval',
  'GetVppSettlement',
  'VerifySettlement',
  'GetDerStatement',
  'GetVppStatement',
);
export const INTERVAL_SETTLED_EVENT = 'IntervalSettled';

// ---- privacy: personal data off the public state, consent, access log ----

export const PRIVACY_CONTRACT_NAME = 'privacy';
export const PRIVACY_TX = txNames(
  'PutOwnerData',
  'GetOwnerData',
  'GetOwnerDataHash',
  'GrantAccess',
  'RevokeGrant',
  'GetGrant',
  'ListGrantsOfDer',
  'RecordAccess',
  'GetAccessTicket',
  'ListAccessLog',
  'GetSampleAnchor',
);
/** Must match network/topology.yaml's collection (the chaincode definition's collections). */
export const OWNER_PERSONAL_COLLECTION = 'ownerPersonal';
/** The transient field PutOwnerData reads the personal data from (never a proposal argument). */
export const OWNER_DATA_TRANSIENT = 'ownerData';
export const OWNER_DATA_RECORDED_EVENT = 'OwnerDataRecorded';
export const GRANT_RECORDED_EVENT = 'ConsentGranted';
export const GRANT_REVOKED_EVENT = 'ConsentRevoked';
export const DATA_ACCESSED_EVENT = 'SharedDataAccessed';
