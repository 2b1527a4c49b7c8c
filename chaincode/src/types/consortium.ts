// Who is who in the consortium. Pure constants so domain modules can use them without Fabric.

/** MSP IDs of the channel members. Adding an organisation is a deliberate code change. */
export const MspId = {
  CVPP: 'CvppMSP',
  TRADING: 'TradingMSP',
  CONTROL: 'ControlMSP',
  REGULATOR: 'RegulatorMSP',
} as const;

export type MspId = (typeof MspId)[keyof typeof MspId];

export const KNOWN_MSP_IDS: readonly MspId[] = Object.values(MspId);

export function isKnownMspId(value: string): value is MspId {
  return (KNOWN_MSP_IDS as readonly string[]).includes(value);
}

/** The X.509 attribute (issued by each org's CA) carrying a user's role. */
export const ROLE_ATTRIBUTE = 'vpp.role';

/** Roles a user can hold inside its organisation. */
export const Role = {
  OPERATOR: 'operator',
  TRADING: 'trading',
  CONTROL: 'control',
  REGULATOR: 'regulator',
  ADMIN: 'admin',
  DEVICE: 'device',
  /** The CVPP gateway's service identity that submits batches of device-signed readings. */
  INGEST: 'ingest',
} as const;

/** Attributes fabric-ca writes into a device's certificate, binding it to one DER of one VPP. */
export const DER_ID_ATTRIBUTE = 'vpp.derId';
export const VPP_ID_ATTRIBUTE = 'vpp.vppId';

export type Role = (typeof Role)[keyof typeof Role];

export const KNOWN_ROLES: readonly Role[] = Object.values(Role);

export function isKnownRole(value: string): value is Role {
  return (KNOWN_ROLES as readonly string[]).includes(value);
}

/** The part an organisation plays in the VPP; fixed per MSP. */
export const OrgRole = {
  CVPP: 'cvpp',
  TRADING: 'trading',
  CONTROL: 'control',
  REGULATOR: 'regulator',
} as const;

export type OrgRole = (typeof OrgRole)[keyof typeof OrgRole];

export const KNOWN_ORG_ROLES: readonly OrgRole[] = Object.values(OrgRole);

export const ORG_ROLE_BY_MSP: Readonly<Record<MspId, OrgRole>> = {
  [MspId.CVPP]: OrgRole.CVPP,
  [MspId.TRADING]: OrgRole.TRADING,
  [MspId.CONTROL]: OrgRole.CONTROL,
  [MspId.REGULATOR]: OrgRole.REGULATOR,
};

/** Which roles of which organisation may perform an operation (organisations in message order). */
export type Authority = Partial<Record<MspId, readonly Role[]>>;

/** The trading centre's traders (and its admins). */
export const TRADING_DESK: Authority = { [MspId.TRADING]: [Role.TRADING, Role.ADMIN] };
/** The control centre's dispatchers (and its admins). */
export const CONTROL_ROOM: Authority = { [MspId.CONTROL]: [Role.CONTROL, Role.ADMIN] };
/** The commercial VPP operator's operators (and its admins). */
export const VPP_OPERATOR: Authority = { [MspId.CVPP]: [Role.OPERATOR, Role.ADMIN] };
/** The regulator's staff (and its admins). */
export const REGULATOR_DESK: Authority = { [MspId.REGULATOR]: [Role.REGULATOR, Role.ADMIN] };
/** The admins of every member organisation, each acting for its own organisation. */
export const ORG_ADMINS: Authority = Object.fromEntries(KNOWN_MSP_IDS.map((mspId) => [mspId, [Role.ADMIN]]));
/** Roles people hold; devices and the gateways' ingest service are machines, not people. */
export const PERSON_ROLES: readonly Role[] = [
  Role.OPERATOR,
  Role.TRADING,
  Role.CONTROL,
  Role.REGULATOR,
  Role.ADMIN,
];
/** A person of any member organisation acting for it (never a device or an ingest certificate). */
export const MEMBER_PEOPLE: Authority = Object.fromEntries(
  KNOWN_MSP_IDS.map((mspId) => [mspId, PERSON_ROLES]),
);
