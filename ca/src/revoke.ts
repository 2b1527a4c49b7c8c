/**
 * Revocation on an org's identity CA, for the gateway's registration authority: revoke an
 * enrollment id (every certificate it holds) and publish the CA's CRL as a PEM file.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { caNames, caTlsRootFile } from '../../platform/src/ca-layout';
import { runPaths } from '../../platform/src/paths';
import type { Topology } from '../../platform/src/topology';
import { caContext, caUrl, enrollRegistrar, runCaClient, type CaContext } from './ca-client';
import { orgOf, type OrgRef } from './ca-server';

/** The reasons fabric-ca-client accepts for `revoke -r` (RFC 5280 CRLReason names, lower case). */
export type RevocationReason =
  | 'unspecified'
  | 'keycompromise'
  | 'cacompromise'
  | 'affiliationchange'
  | 'superseded'
  | 'cessationofoperation'
  | 'certificatehold'
  | 'removefromcrl'
  | 'privilegewithdrawn'
  | 'aacompromise';

/** Where the org's latest CRL is published (outside the channel MSP: a CRL there needs a config update). */
export function crlFile(org: string): string {
  return runPaths.crypto(org, 'crls', 'crl.pem');
}

export interface CaCallOptions {
  timeoutMs?: number;
}

/** Calls are made as the identity CA's bootstrap registrar, which holds hf.Revoker and hf.GenCRL. */
async function registrarArgs(ctx: CaContext): Promise<{ home: string; args: string[] }> {
  const home = await enrollRegistrar(ctx, 'identity');
  const args = [
    '-u',
    caUrl(ctx.org),
    '-H',
    home,
    '--caname',
    caNames(ctx.org.name).identity,
    '--tls.certfiles',
    caTlsRootFile(ctx.org.name),
  ];
  return { home, args };
}

/** Revokes every certificate of `enrollmentId` on the org's identity CA and disables the identity. */
export async function revokeIdentity(
  topology: Topology,
  ref: OrgRef,
  enrollmentId: string,
  reason: RevocationReason,
  options: CaCallOptions = {},
): Promise<void> {
  const ctx = caContext(topology, orgOf(topology, ref), options.timeoutMs);
  await runCaClient(ctx, enrollmentId, [
    'revoke',
    ...(await registrarArgs(ctx)).args,
    '-e',
    enrollmentId,
    '-r',
    reason,
  ]);
}

/** Generates the identity CA's CRL (every revoked certificate) and returns the PEM file's path. */
export async function generateCrl(
  topology: Topology,
  ref: OrgRef,
  options: CaCallOptions = {},
): Promise<string> {
  const ctx = caContext(topology, orgOf(topology, ref), options.timeoutMs);
  const orgName = ctx.org.name;
  const { home, args } = await registrarArgs(ctx);
  await runCaClient(ctx, `CRL of ${caNames(orgName).identity}`, ['gencrl', ...args]);
  // gencrl stores the CRL in the registrar's MSP (msp/crls/crl.pem); publish a copy at a stable path.
  const target = crlFile(orgName);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(home, 'msp', 'crls', 'crl.pem'), target);
  return target;
}
