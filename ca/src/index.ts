/** The org CAs: server preparation, enrollment of every node and user, revocation and CRLs. */
export {
  BOOTSTRAP_USER,
  identityCaConfigFile,
  prepareCaServer,
  writeCaServerHome,
  tlsCaConfigFile,
  type CaServerCommand,
  type OrgRef,
} from './ca-server';
export { CaClientError, DEFAULT_CA_TIMEOUT_MS } from './ca-client';
export { APP_ROLE_OF, enrollOrg, writeTlsRoots, type EnrollOptions, type EnrollResult } from './enroll';
export { NODE_OUS_CONFIG } from './msp';
export { crlFile, generateCrl, revokeIdentity, type CaCallOptions, type RevocationReason } from './revoke';
