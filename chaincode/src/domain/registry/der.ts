// A distributed energy resource (PV, battery, EV charger, flexible load) registered under one VPP,
// bound to the certificate of the device that measures it. The rules here decide which certificate
// may stand for which DER; the contract supplies the recorded CA certificates and the tx time.
//
// A device certificate is accepted only if (1) it was issued by one of the CVPP organisation's
// recorded CA certificates, (2) it is valid at the transaction time, (3) its fabric-ca attributes
// say vpp.role=device, vpp.derId=<this DER>, vpp.vppId=<this VPP>, and an SM2 key in vpp.sm2PublicKey
// if it binds one is a point on the curve, and (4) its serial is not bound to another DER. So neither
// the gateway nor an org admin can attach a key of their own to a DER.

import type { X509Certificate } from 'node:crypto';
import {
  REASON_RULE,
  ENTITY_ID,
  type Fields,
  invalid,
  POSITIVE,
  requireId,
  requireInteger,
  requireIsoTimestamp,
  requireObject,
  requireOneOf,
  requireText,
} from '../../rules';
import { DER_ID_ATTRIBUTE, ROLE_ATTRIBUTE, Role, VPP_ID_ATTRIBUTE } from '../../types/consortium';
import { ErrorCode, VppError } from '../../types/errors';
import {
  certificateDateIso,
  fabricAttrsOf,
  isIssuedByOneOf,
  isValidAt,
  parseCertificate,
  serialOf,
} from '../pki/certificate';
import { parseSm2PublicKeyHex, SM2_PUBLIC_KEY_ATTRIBUTE } from '../pki/sm2';

export const DER_TYPES = ['pv', 'battery', 'ev-charger', 'flexible-load'] as const;
export type DerType = (typeof DER_TYPES)[number];

export const DER_STATUSES = ['active', 'suspended'] as const;
export type DerStatus = (typeof DER_STATUSES)[number];

/** 1 GW: far above any single DER, low enough that capacity × interval stays a safe integer. */
export const MAX_CAPACITY_W = 1_000_000_000;
const CAPACITY_RULE = { min: 1, max: MAX_CAPACITY_W } as const;

export interface DerInput {
  readonly derId: string;
  readonly vppId: string;
  readonly derType: DerType;
  readonly capacityW: number;
  readonly zone: string;
  readonly certificatePem: string;
}

export interface DerCertificate {
  readonly pem: string;
  readonly serial: string;
  readonly notAfter: string;
  readonly status: 'valid' | 'revoked';
  readonly revokedAt?: string;
  readonly revocationReason?: string;
}

export interface Der {
  readonly derId: string;
  readonly vppId: string;
  readonly derType: DerType;
  readonly capacityW: number;
  readonly zone: string;
  readonly status: DerStatus;
  /** Why the DER was last suspended or reinstated. */
  readonly statusReason?: string;
  readonly certificate: DerCertificate;
  readonly registeredAt: string;
  readonly registeredBy: string;
  readonly updatedAt: string;
  /** 1 on registration, +1 on every change. */
  readonly version: number;
}

const INPUT_FIELDS = ['derId', 'vppId', 'derType', 'capacityW', 'zone', 'certificatePem'] as const;

/** The fields a DER is registered with, checked the same way on input and in stored records. */
function registeredFields(fields: Fields) {
  return {
    derId: requireId(fields, 'derId', ENTITY_ID),
    vppId: requireId(fields, 'vppId', ENTITY_ID),
    derType: requireOneOf(fields, 'derType', DER_TYPES),
    capacityW: requireInteger(fields, 'capacityW', CAPACITY_RULE),
    zone: requireId(fields, 'zone', ENTITY_ID),
  };
}

export function parseDerInput(value: unknown): DerInput {
  const fields = requireObject(value, 'der', INPUT_FIELDS);
  const certificatePem = fields.certificatePem;
  parseCertificate(certificatePem, 'certificatePem');
  return {
    ...registeredFields(fields),
    certificatePem: certificatePem as string,
  };
}

function rejected(detail: string): VppError {
  return new VppError(ErrorCode.CERTIFICATE_REJECTED, detail);
}

/**
 * Checks that `cert` may stand for DER `derId` of VPP `vppId` (rules 1–3 above); throws
 * CERTIFICATE_REJECTED naming the first rule that fails.
 */
export function checkDeviceCertificate(
  cert: X509Certificate,
  binding: { derId: string; vppId: string },
  issuers: readonly X509Certificate[],
  at: string,
): void {
  if (issuers.length === 0) {
    throw rejected('no CA certificates of the CVPP organisation are recorded on the ledger');
  }
  if (!isIssuedByOneOf(cert, issuers)) {
    throw rejected("the certificate was not issued by the CVPP organisation's CA");
  }
  if (!isValidAt(cert, at)) {
    throw rejected('the certificate is not valid at the transaction time');
  }
  const attrs = fabricAttrsOf(cert);
  const expected: [string, string][] = [
    [ROLE_ATTRIBUTE, Role.DEVICE],
    [DER_ID_ATTRIBUTE, binding.derId],
    [VPP_ID_ATTRIBUTE, binding.vppId],
  ];
  for (const [name, value] of expected) {
    if (attrs[name] !== value) {
      throw rejected(
        `certificate attribute ${name} is ${JSON.stringify(attrs[name] ?? null)}, expected ${JSON.stringify(value)}`,
      );
    }
  }
  const sm2Key = attrs[SM2_PUBLIC_KEY_ATTRIBUTE];
  if (sm2Key !== undefined && parseSm2PublicKeyHex(sm2Key) === undefined) {
    throw rejected(
      `certificate attribute ${SM2_PUBLIC_KEY_ATTRIBUTE} must be an SM2 public key on the curve (04‖x‖y, 130 lower-case hex digits)`,
    );
  }
}

export interface DerRegistration {
  readonly input: DerInput;
  readonly issuers: readonly X509Certificate[];
  /** The DER stored under input.derId, if any. */
  readonly previous: Der | undefined;
  /** The DER id already bound to the certificate's serial, if any. */
  readonly serialOwner: string | undefined;
  readonly registeredBy: string;
  readonly at: string;
}

export function certificateRecord(cert: X509Certificate, pem: string): DerCertificate {
  return {
    pem: pem.trim() + '\n',
    serial: serialOf(cert),
    notAfter: certificateDateIso(cert.validTo),
    status: 'valid',
  };
}

export function buildDer(registration: DerRegistration): Der {
  const { input, previous, at } = registration;
  if (previous !== undefined) {
    throw new VppError(ErrorCode.ALREADY_EXISTS, `der ${input.derId} is already registered`);
  }
  const cert = parseCertificate(input.certificatePem, 'certificatePem');
  checkDeviceCertificate(cert, input, registration.issuers, at);
  if (registration.serialOwner !== undefined) {
    throw rejected(`the certificate is already bound to der ${registration.serialOwner}`);
  }
  return {
    derId: input.derId,
    vppId: input.vppId,
    derType: input.derType,
    capacityW: input.capacityW,
    zone: input.zone,
    status: 'active',
    certificate: certificateRecord(cert, input.certificatePem),
    registeredAt: at,
    registeredBy: registration.registeredBy,
    updatedAt: at,
    version: 1,
  };
}

/** Suspends or reinstates; a no-op transition is INVALID_STATE so a caller learns it changed nothing. */
export function changeDerStatus(der: Der, status: DerStatus, reason: string, at: string): Der {
  if (der.status === status) {
    throw new VppError(ErrorCode.INVALID_STATE, `der ${der.derId} is already ${status}`);
  }
  return { ...der, status, statusReason: reason, updatedAt: at, version: der.version + 1 };
}

/** Marks the DER's current certificate revoked; readings signed with it are refused from then on. */
export function revokeDerCertificate(der: Der, serial: string, reason: string, at: string): Der {
  if (der.certificate.serial !== serial) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `serial ${serial} is not the current certificate of der ${der.derId} (${der.certificate.serial})`,
    );
  }
  if (der.certificate.status === 'revoked') {
    throw new VppError(ErrorCode.INVALID_STATE, `the certificate of der ${der.derId} is already revoked`);
  }
  return {
    ...der,
    certificate: { ...der.certificate, status: 'revoked', revokedAt: at, revocationReason: reason },
    updatedAt: at,
    version: der.version + 1,
  };
}

/** Binds a new device certificate (after revocation or before expiry) under the same rules as registration. */
export function replaceDerCertificate(
  der: Der,
  certificatePem: unknown,
  issuers: readonly X509Certificate[],
  serialOwner: string | undefined,
  at: string,
): Der {
  const cert = parseCertificate(certificatePem, 'certificatePem');
  checkDeviceCertificate(cert, der, issuers, at);
  if (serialOwner !== undefined) {
    throw rejected(`the certificate is already bound to der ${serialOwner}`);
  }
  return {
    ...der,
    certificate: certificateRecord(cert, certificatePem as string),
    updatedAt: at,
    version: der.version + 1,
  };
}

export function parseReason(value: unknown): string {
  return requireText({ reason: value }, 'reason', REASON_RULE);
}

const DER_FIELDS = [
  'derId',
  'vppId',
  'derType',
  'capacityW',
  'zone',
  'status',
  'statusReason',
  'certificate',
  'registeredAt',
  'registeredBy',
  'updatedAt',
  'version',
] as const;
const CERT_FIELDS = ['pem', 'serial', 'notAfter', 'status', 'revokedAt', 'revocationReason'] as const;

function parseStoredCertificate(value: unknown): DerCertificate {
  const fields = requireObject(value, 'stored der certificate', CERT_FIELDS);
  const status = requireOneOf(fields, 'status', ['valid', 'revoked'] as const);
  if (typeof fields.pem !== 'string' || typeof fields.serial !== 'string') {
    throw invalid('stored der certificate needs pem and serial');
  }
  return {
    pem: fields.pem,
    serial: fields.serial,
    notAfter: requireIsoTimestamp(fields, 'notAfter'),
    status,
    ...(status === 'revoked'
      ? {
          revokedAt: requireIsoTimestamp(fields, 'revokedAt'),
          revocationReason: requireText(fields, 'revocationReason', REASON_RULE),
        }
      : {}),
  };
}

export function parseStoredDer(value: unknown): Der {
  const fields: Fields = requireObject(value, 'stored der', DER_FIELDS);
  const version = requireInteger(fields, 'version', POSITIVE);
  return {
    ...registeredFields(fields),
    status: requireOneOf(fields, 'status', DER_STATUSES),
    ...(fields.statusReason === undefined
      ? {}
      : { statusReason: requireText(fields, 'statusReason', REASON_RULE) }),
    certificate: parseStoredCertificate(fields.certificate),
    registeredAt: requireIsoTimestamp(fields, 'registeredAt'),
    registeredBy: requireText(fields, 'registeredBy', { min: 1, max: 256 }),
    updatedAt: requireIsoTimestamp(fields, 'updatedAt'),
    version,
  };
}

/** One page of a VPP's DERs in id order (ListDersByVpp); bookmark '' on the last page. */
export interface DerPage {
  readonly ders: readonly Der[];
  readonly bookmark: string;
}
