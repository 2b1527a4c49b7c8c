// The DER registry: VPPs, their DERs bound to device certificates, and each org's CA certificates
// (the trust anchors the registry checks device certificates against). Thin transactions: authorise,
// read, call the pure rules in domain/registry, write, emit.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  buildCaCertificates,
  caCertificatesOf,
  parseCaCertificateList,
  parseStoredCaCertificates,
} from '../domain/registry/ca-certificates';
import {
  buildDer,
  changeDerStatus,
  parseDerInput,
  parseReason,
  parseStoredDer,
  replaceDerCertificate,
  revokeDerCertificate,
  type Der,
  type DerPage,
  type DerStatus,
} from '../domain/registry/der';
import { derBatchResultOf, parseDerBatch, parseDerIdList } from '../domain/registry/der-batch';
import { buildVpp, parseStoredVpp, parseVppInput, type VppPage } from '../domain/registry/vpp';
import { normalSerial, parseCertificate, serialOf } from '../domain/pki/certificate';
import { parseJson, toCanonicalJson, type JsonValue } from '../encoding/canonical-json';
import { callerName, requireActor } from '../ledger/identity';
import {
  caCertificatesKey,
  derByCertKey,
  derByVppKey,
  derByVppPrefix,
  derKey,
  vppKey,
  vppPrefix,
} from '../encoding/keys';
import {
  emitEvent,
  emitJson,
  readState,
  readStates,
  requireState,
  scanPrefixPage,
  writeState,
} from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { MAX_DER_PAGE_SIZE } from '../rules';
import { MspId, ORG_ADMINS, REGULATOR_DESK, VPP_OPERATOR } from '../types/consortium';
import { ErrorCode, isVppError, VppError } from '../types/errors';
import { registerDers } from '../services/der-intake';
import { derIdEntry, requireDer, requireVpp } from '../services/registry-reads';
import {
  CA_CERTIFICATES_RECORDED_EVENT,
  DER_REGISTERED_EVENT,
  DERS_REGISTERED_EVENT,
  DER_UPDATED_EVENT,
  REGISTRY_CONTRACT_NAME,
  VPP_REGISTERED_EVENT,
} from '../types/contracts';
import { VppContract } from './vpp-contract';

const MAX_ARGUMENT_LENGTH = 32 * 1024;

function parseArgument(json: string, what: string): JsonValue {
  if (json.length > MAX_ARGUMENT_LENGTH) {
    throw new VppError(ErrorCode.INVALID_ARGUMENT, `${what} exceeds ${MAX_ARGUMENT_LENGTH} characters`);
  }
  return parseJson(json);
}

async function cvppIssuers(ctx: Context) {
  return caCertificatesOf(await readState(ctx, caCertificatesKey(MspId.CVPP), parseStoredCaCertificates));
}

async function writeDerUpdate(ctx: Context, der: Der): Promise<string> {
  await writeState(ctx, derKey(der.derId), der);
  const summary = {
    derId: der.derId,
    vppId: der.vppId,
    status: der.status,
    certificateSerial: der.certificate.serial,
    certificateStatus: der.certificate.status,
    version: der.version,
  };
  emitJson(ctx, DER_UPDATED_EVENT, summary);
  return toCanonicalJson(der);
}

@Info({ title: 'RegistryContract', description: 'VPPs, DERs and the device certificates bound to them' })
export class RegistryContract extends VppContract {
  constructor() {
    super(REGISTRY_CONTRACT_NAME);
  }

  /** Records the caller organisation's CA certificates (a list of PEMs). Admins only. */
  @Transaction()
  @Returns('string')
  async RecordCaCertificates(ctx: Context, certificatesJson: string): Promise<string> {
    // Each organisation's admins record their own organisation's CA certificates.
    const { mspId } = requireActor(ctx, ORG_ADMINS);
    const certificates = parseCaCertificateList(parseArgument(certificatesJson, 'certificatesJson'));
    const key = caCertificatesKey(mspId);
    const previous = await readState(ctx, key, parseStoredCaCertificates);
    const record = buildCaCertificates(mspId, certificates, previous, callerName(ctx), txTimestampIso(ctx));
    await writeState(ctx, key, record);
    emitJson(ctx, CA_CERTIFICATES_RECORDED_EVENT, { mspId, version: record.version });
    return toCanonicalJson(record);
  }

  @Transaction(false)
  @Returns('string')
  async GetCaCertificates(ctx: Context, mspId: string): Promise<string> {
    const record = await requireState(
      ctx,
      caCertificatesKey(mspId),
      parseStoredCaCertificates,
      `CA certificates of ${mspId}`,
    );
    return toCanonicalJson(record);
  }

  @Transaction()
  @Returns('string')
  async RegisterVpp(ctx: Context, vppJson: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const input = parseVppInput(parseArgument(vppJson, 'vppJson'));
    const key = vppKey(input.vppId);
    const vpp = buildVpp(
      input,
      await readState(ctx, key, parseStoredVpp),
      callerName(ctx),
      txTimestampIso(ctx),
    );
    const bytes = await writeState(ctx, key, vpp);
    emitEvent(ctx, VPP_REGISTERED_EVENT, bytes);
    return toCanonicalJson(vpp);
  }

  @Transaction(false)
  @Returns('string')
  async GetVpp(ctx: Context, vppId: string): Promise<string> {
    return toCanonicalJson(await requireVpp(ctx, vppId));
  }

  /** One page of the registered VPPs in id order: `{ vpps, bookmark }`, bookmark '' on the last page. */
  @Transaction(false)
  @Returns('string')
  async ListVpps(ctx: Context, pageSize: string, bookmark: string): Promise<string> {
    const page = await scanPrefixPage(ctx, vppPrefix(), parseStoredVpp, Number(pageSize), bookmark);
    const vpps = page.entries.map((entry) => entry.value);
    return toCanonicalJson({ vpps, bookmark: page.bookmark } satisfies VppPage);
  }

  /** Registers a DER under an existing VPP with its device certificate (checked against the CVPP CA). */
  @Transaction()
  @Returns('string')
  async RegisterDer(ctx: Context, derJson: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const input = parseDerInput(parseArgument(derJson, 'derJson'));
    await requireVpp(ctx, input.vppId);
    const serial = serialOf(parseCertificate(input.certificatePem, 'certificatePem'));
    const der = buildDer({
      input,
      issuers: await cvppIssuers(ctx),
      previous: await readState(ctx, derKey(input.derId), parseStoredDer),
      serialOwner: await readState(ctx, derByCertKey(serial), derIdEntry),
      registeredBy: callerName(ctx),
      at: txTimestampIso(ctx),
    });
    const bytes = await writeState(ctx, derKey(der.derId), der);
    await writeState(ctx, derByVppKey(der.vppId, der.derId), der.derId);
    await writeState(ctx, derByCertKey(der.certificate.serial), der.derId);
    emitEvent(ctx, DER_REGISTERED_EVENT, bytes);
    return toCanonicalJson(der);
  }

  /**
   * Registers many DERs in one transaction (bulk onboarding of a fleet): each judged exactly as
   * RegisterDer would judge it, in order, with one result per DER (see DerBatchResult); a refused DER
   * never blocks the others. Only a malformed list refuses the whole batch.
   */
  @Transaction()
  @Returns('string')
  async RegisterDers(ctx: Context, dersJson: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const batch = parseDerBatch(dersJson);
    const txId = ctx.stub.getTxID();
    const { results } = await registerDers(ctx, batch, {
      issuers: await cvppIssuers(ctx),
      registeredBy: callerName(ctx),
      at: txTimestampIso(ctx),
    });
    const outcome = derBatchResultOf(txId, results);
    const derIds = results.flatMap((result) => (result.status === 'registered' ? [result.derId] : []));
    emitJson(ctx, DERS_REGISTERED_EVENT, {
      txId,
      registered: outcome.registered,
      refused: outcome.refused,
      derIds,
    });
    return toCanonicalJson(outcome);
  }

  @Transaction(false)
  @Returns('string')
  async GetDer(ctx: Context, derId: string): Promise<string> {
    return toCanonicalJson(await requireDer(ctx, derId));
  }

  /**
   * Many DERs in one query (at most MAX_DER_BATCH_SIZE ids, read in one batched call): a JSON list
   * with each DER as stored, or null where none is registered (or the id cannot name one). The
   * gateways' reading intake looks a fleet's DERs up this way.
   */
  @Transaction(false)
  @Returns('string')
  async GetDers(ctx: Context, derIdsJson: string): Promise<string> {
    const derIds = parseDerIdList(parseArgument(derIdsJson, 'derIdsJson'));
    const keyed = derIds.map((derId) => {
      try {
        return derKey(derId);
      } catch (err) {
        if (!isVppError(err) || err.code === ErrorCode.INTERNAL) throw err;
        return undefined; // not a valid id: no DER can be registered under it
      }
    });
    const keys = keyed.filter((key): key is string => key !== undefined);
    const stored = await readStates(ctx, keys, parseStoredDer);
    const byKey = new Map(keys.map((key, i) => [key, stored[i]]));
    return toCanonicalJson(keyed.map((key) => (key === undefined ? null : (byKey.get(key) ?? null))));
  }

  /** The DER a certificate serial is (or was) bound to. */
  @Transaction(false)
  @Returns('string')
  async GetDerByCertificate(ctx: Context, serial: string): Promise<string> {
    const normal = normalSerial(serial);
    const derId = await requireState(ctx, derByCertKey(normal), derIdEntry, `certificate ${normal}`);
    return toCanonicalJson(await requireDer(ctx, derId));
  }

  /** One page of a VPP's DERs in id order: `{ ders, bookmark }`, bookmark '' on the last page. */
  @Transaction(false)
  @Returns('string')
  async ListDersByVpp(ctx: Context, vppId: string, pageSize: string, bookmark: string): Promise<string> {
    const page = await scanPrefixPage(
      ctx,
      derByVppPrefix(vppId),
      derIdEntry,
      Number(pageSize),
      bookmark,
      MAX_DER_PAGE_SIZE,
    );
    // One batched read for the page's DERs; an index entry without its DER would be a broken ledger.
    const stored = await readStates(
      ctx,
      page.entries.map((entry) => derKey(entry.value)),
      parseStoredDer,
    );
    const ders = stored.map((der, i) => {
      if (der === undefined) {
        throw new VppError(ErrorCode.INTERNAL, `der ${page.entries[i]?.value} is indexed but not stored`);
      }
      return der;
    });
    return toCanonicalJson({ ders, bookmark: page.bookmark } satisfies DerPage);
  }

  @Transaction()
  @Returns('string')
  async SuspendDer(ctx: Context, derId: string, reason: string): Promise<string> {
    return this.#changeStatus(ctx, derId, 'suspended', reason);
  }

  @Transaction()
  @Returns('string')
  async ReinstateDer(ctx: Context, derId: string, reason: string): Promise<string> {
    return this.#changeStatus(ctx, derId, 'active', reason);
  }

  /** Marks the DER's certificate revoked (the gateway revokes it at the CA in the same request). */
  @Transaction()
  @Returns('string')
  async RevokeDerCertificate(ctx: Context, derId: string, serial: string, reason: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const der = await requireDer(ctx, derId);
    const revoked = revokeDerCertificate(der, normalSerial(serial), parseReason(reason), txTimestampIso(ctx));
    return writeDerUpdate(ctx, revoked);
  }

  /** Binds a new device certificate to the DER (after a revocation, or to renew one). */
  @Transaction()
  @Returns('string')
  async ReplaceDerCertificate(ctx: Context, derId: string, certificatePem: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const der = await requireDer(ctx, derId);
    const serial = serialOf(parseCertificate(certificatePem, 'certificatePem'));
    const replaced = replaceDerCertificate(
      der,
      certificatePem,
      await cvppIssuers(ctx),
      await readState(ctx, derByCertKey(serial), derIdEntry),
      txTimestampIso(ctx),
    );
    await writeState(ctx, derByCertKey(replaced.certificate.serial), derId);
    return writeDerUpdate(ctx, replaced);
  }

  async #changeStatus(ctx: Context, derId: string, status: DerStatus, reason: string): Promise<string> {
    // Suspension is a supervisory act too: CVPP operators and admins, or the regulator.
    requireActor(ctx, VPP_OPERATOR, REGULATOR_DESK);
    const der = await requireDer(ctx, derId);
    return writeDerUpdate(ctx, changeDerStatus(der, status, parseReason(reason), txTimestampIso(ctx)));
  }
}
