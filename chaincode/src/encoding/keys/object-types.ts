// The object types: the first part of every composite key. All of them are listed here, in one file,
// so that no two kinds of record can ever share a key. Prefixing with `vpp.` keeps them out of the
// way of any other chaincode on the channel.

export const ORG_PROFILE = 'vpp.orgProfile';
export const CA_CERTIFICATES = 'vpp.caCertificates';
export const VPP = 'vpp.vpp';
export const DER = 'vpp.der';
export const DER_BY_VPP = 'vpp.derByVpp';
export const DER_BY_CERT = 'vpp.derByCert';
export const READING = 'vpp.reading';
export const MARKET_INTERVAL = 'vpp.marketInterval';
export const DEMAND = 'vpp.demand';
export const BID_COMMITMENT = 'vpp.bidCommitment';
export const REVEALED_BID = 'vpp.revealedBid';
export const REVEALED_BID_BY_VPP = 'vpp.revealedBidByVpp';
export const REVEALED_OFFER = 'vpp.revealedOffer';
export const CLEARING = 'vpp.clearing';
export const VPP_QUOTA = 'vpp.vppQuota';
export const VIOLATION = 'vpp.violation';
export const DISPATCH = 'vpp.dispatch';
export const DER_SETPOINT = 'vpp.derSetpoint';
export const RULEBOOK = 'vpp.rulebook';
export const MARKET_CALENDAR = 'vpp.marketCalendar';
export const CREDIT_INDICATORS = 'vpp.creditIndicators';
export const SCORE_RECORD = 'vpp.scoreRecord';
export const SUSPENSION = 'vpp.suspension';
export const SETTLEMENT_VPP = 'vpp.settlementVpp';
export const SETTLEMENT_DER = 'vpp.settlementDer';
export const SETTLEMENT_DER_BY_VPP = 'vpp.settlementDerByVpp';
export const SETTLEMENT_DER_BY_PERIOD = 'vpp.settlementDerByPeriod';
export const SETTLEMENT_VPP_BY_PERIOD = 'vpp.settlementVppByPeriod';

export const OWNER_DATA = 'vpp.ownerData';
export const CONSENT_GRANT = 'vpp.consentGrant';
export const GRANT_BY_DER = 'vpp.grantByDer';
export const ACCESS_LOG = 'vpp.accessLog';
export const ACCESS_BY_TX = 'vpp.accessByTx';
export const SAMPLE_ANCHOR = 'vpp.sampleAnchor';

export const CHECKPOINT = 'vpp.checkpoint';
export const CHECKPOINT_HEAD = 'vpp.checkpointHead';

export const OBJECT_TYPES = [
  ORG_PROFILE,
  CA_CERTIFICATES,
  VPP,
  DER,
  DER_BY_VPP,
  DER_BY_CERT,
  READING,
  MARKET_INTERVAL,
  DEMAND,
  BID_COMMITMENT,
  REVEALED_BID,
  REVEALED_BID_BY_VPP,
  REVEALED_OFFER,
  CLEARING,
  VPP_QUOTA,
  VIOLATION,
  DISPATCH,
  DER_SETPOINT,
  RULEBOOK,
  MARKET_CALENDAR,
  CREDIT_INDICATORS,
  SCORE_RECORD,
  SUSPENSION,
  SETTLEMENT_VPP,
  SETTLEMENT_DER,
  SETTLEMENT_DER_BY_VPP,
  SETTLEMENT_DER_BY_PERIOD,
  SETTLEMENT_VPP_BY_PERIOD,
  OWNER_DATA,
  CONSENT_GRANT,
  GRANT_BY_DER,
  ACCESS_LOG,
  ACCESS_BY_TX,
  SAMPLE_ANCHOR,
  CHECKPOINT,
  CHECKPOINT_HEAD,
] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];
