// Shared-data privacy. A DER owner's personal data lives in the private collection `ownerPersonal`
// (members: the CVPP operator and the regulator); the public state holds only its SHA-256. Another
// organisation reads it only under a consent grant that the owner's operator records on chain, and
// every such access is recorded on chain first: the data holder's gateway serves the data only
// against that record (an access "ticket"), so there is no access that the ledger does not show.

import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import {
  buildAccessLogEntry,
  buildGrant,
  parseDataSet,
  parseGrantInput,
  parseStoredAccessLogEntry,
  parseStoredGrant,
  requireValidGrant,
  revokeGrant,
  type AccessLogPage,
  type DataSet,
  type GrantPage,
} from '../domain/privacy/consent';
import {
  ownerDataHash,
  parseOwnerData,
  type OwnerDataFingerprint,
  type OwnerDataHash,
} from '../domain/privacy/owner-data';
import { parseStoredSampleAnchor } from '../domain/privacy/samples';
import { parseJson, toCanonicalJson } from '../encoding/canonical-json';
import { callerMspId, callerName, requireActor, requireMsp } from '../ledger/identity';
import {
  accessByTxKey,
  accessLogKey,
  accessLogPrefix,
  consentGrantKey,
  grantByDerKey,
  grantByDerPrefix,
  ownerDataKey,
  sampleAnchorKey,
} from '../encoding/keys';
import {
  emitEvent,
  emitJson,
  privateHash,
  readPrivate,
  readState,
  requireState,
  requireStates,
  scanPrefixPage,
  indexEntry,
  transientText,
  writePrivate,
  writeState,
} from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { invalid } from '../rules';
import {
  MEMBER_PEOPLE,
  MspId,
  REGULATOR_DESK,
  Role,
  VPP_OPERATOR,
  type Authority,
} from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import { requireDer } from '../services/registry-reads';
import {
  DATA_ACCESSED_EVENT,
  GRANT_RECORDED_EVENT,
  GRANT_REVOKED_EVENT,
  OWNER_DATA_RECORDED_EVENT,
  OWNER_DATA_TRANSIENT,
  OWNER_PERSONAL_COLLECTION,
  PRIVACY_CONTRACT_NAME,
} from '../types/contracts';
import { VppContract } from './vpp-contract';

const MAX_ARGUMENT_LENGTH = 4096;

const parseGrantId = indexEntry('a grant id');

/**
 * Members of the collection: the CVPP's operators, admins and ingest service, the regulator's staff
 * and admins. (The owner's operator, who acts on the owner's behalf, is VPP_OPERATOR.)
 */
const COLLECTION_MEMBERS: Authority[] = [
  { [MspId.CVPP]: [Role.OPERATOR, Role.ADMIN, Role.INGEST] },
  REGULATOR_DESK,
];

/** A refusal that tells a non-holder nothing about the data or the grant. */
const noValidGrant = () => new VppError(ErrorCode.FORBIDDEN, 'no valid grant');

function parseDataSetArgument(json: string): DataSet {
  if (json.length > MAX_ARGUMENT_LENGTH) throw invalid('dataSetJson is too long');
  return parseDataSet(parseJson(json));
}

@Info({ title: 'PrivacyContract', description: 'Personal data off the public state, consent and access log' })
export class PrivacyContract extends VppContract {
  constructor() {
    super(PRIVACY_CONTRACT_NAME);
  }

  /**
   * Records (or replaces) the personal data of a DER's owner, read from the transient field
   * `ownerData`, in the private collection. The transaction writes nothing public: every peer keeps
   * the SHA-256 of the private value (getPrivateDataHash), which is the data's public fingerprint.
   * Endorsed by the collection's members only (its endorsement policy), so the data never reaches
   * another organisation's peer.
   */
  @Transaction()
  @Returns('string')
  async PutOwnerData(ctx: Context, derId: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const text = transientText(ctx, OWNER_DATA_TRANSIENT);
    if (text === undefined) {
      throw invalid(
        `the owner data must come in the transient field ${OWNER_DATA_TRANSIENT}, never as an argument`,
      );
    }
    if (text.length > MAX_ARGUMENT_LENGTH) throw invalid('owner data is too long');
    const data = parseOwnerData(parseJson(text));
    if (data.derId !== derId) throw invalid(`owner data names der ${data.derId}, not ${derId}`);
    await requireDer(ctx, derId);
    await writePrivate(ctx, OWNER_PERSONAL_COLLECTION, ownerDataKey(derId), data);
    const fingerprint: OwnerDataFingerprint = {
      derId,
      sha256: ownerDataHash(data),
      txId: ctx.stub.getTxID(),
      at: txTimestampIso(ctx),
    };
    emitJson(ctx, OWNER_DATA_RECORDED_EVENT, fingerprint);
    return toCanonicalJson(fingerprint);
  }

  /** The personal data, for members of the collection only, checked against its public hash. */
  @Transaction(false)
  @Returns('string')
  async GetOwnerData(ctx: Context, derId: string): Promise<string> {
    requireActor(ctx, ...COLLECTION_MEMBERS);
    const data = await readPrivate(ctx, OWNER_PERSONAL_COLLECTION, ownerDataKey(derId), parseOwnerData);
    if (data === undefined) {
      throw new VppError(ErrorCode.NOT_FOUND, `this peer holds no owner data of ${derId}`);
    }
    if (ownerDataHash(data) !== (await privateHash(ctx, OWNER_PERSONAL_COLLECTION, ownerDataKey(derId)))) {
      throw new VppError(ErrorCode.INTERNAL, `owner data of ${derId} does not match its hash on chain`);
    }
    return toCanonicalJson(data);
  }

  /** The public fingerprint (any peer has it): whoever is shown the data can check it against this. */
  @Transaction(false)
  @Returns('string')
  async GetOwnerDataHash(ctx: Context, derId: string): Promise<string> {
    const sha256 = await privateHash(ctx, OWNER_PERSONAL_COLLECTION, ownerDataKey(derId));
    if (sha256 === undefined)
      throw new VppError(ErrorCode.NOT_FOUND, `owner data of ${derId} does not exist`);
    return toCanonicalJson({ derId, sha256 } satisfies OwnerDataHash);
  }

  /** The owner's operator grants another organisation read access to one data set of a DER. */
  @Transaction()
  @Returns('string')
  async GrantAccess(ctx: Context, grantJson: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    if (grantJson.length > MAX_ARGUMENT_LENGTH) throw invalid('grantJson is too long');
    const input = parseGrantInput(parseJson(grantJson));
    await requireDer(ctx, input.dataSet.derId);
    const key = consentGrantKey(input.grantId);
    const grant = buildGrant({
      input,
      previous: await readState(ctx, key, parseStoredGrant),
      grantedBy: callerName(ctx),
      at: txTimestampIso(ctx),
      txId: ctx.stub.getTxID(),
    });
    const bytes = await writeState(ctx, key, grant);
    await writeState(ctx, grantByDerKey(grant.dataSet.derId, grant.grantId), grant.grantId);
    emitEvent(ctx, GRANT_RECORDED_EVENT, bytes);
    return toCanonicalJson(grant);
  }

  @Transaction()
  @Returns('string')
  async RevokeGrant(ctx: Context, grantId: string): Promise<string> {
    requireActor(ctx, VPP_OPERATOR);
    const key = consentGrantKey(grantId);
    const grant = await requireState(ctx, key, parseStoredGrant, `grant ${grantId}`);
    const revoked = revokeGrant(grant, { revokedBy: callerName(ctx), at: txTimestampIso(ctx) });
    const bytes = await writeState(ctx, key, revoked);
    emitEvent(ctx, GRANT_REVOKED_EVENT, bytes);
    return toCanonicalJson(revoked);
  }

  /** A grant, for the owner's operator, the regulator and the grantee; FORBIDDEN to anyone else. */
  @Transaction(false)
  @Returns('string')
  async GetGrant(ctx: Context, grantId: string): Promise<string> {
    const grant = await readState(ctx, consentGrantKey(grantId), parseStoredGrant);
    const mspId = callerMspId(ctx);
    if (grant === undefined) {
      if (mspId === MspId.CVPP || mspId === MspId.REGULATOR)
        throw new VppError(ErrorCode.NOT_FOUND, `grant ${grantId} does not exist`);
      throw noValidGrant();
    }
    if (mspId !== MspId.CVPP && mspId !== MspId.REGULATOR && mspId !== grant.granteeMspId)
      throw noValidGrant();
    return toCanonicalJson(grant);
  }

  /**
   * One page of the grants on a DER's data, by grant id, for the owner's operator and the regulator:
   * `{ grants, bookmark }`, bookmark '' on the last page.
   */
  @Transaction(false)
  @Returns('string')
  async ListGrantsOfDer(ctx: Context, derId: string, pageSize: string, bookmark: string): Promise<string> {
    requireMsp(ctx, [MspId.CVPP, MspId.REGULATOR]);
    const page = await scanPrefixPage(ctx, grantByDerPrefix(derId), parseGrantId, Number(pageSize), bookmark);
    const grantIds = page.entries.map((entry) => entry.value);
    const grants = await requireStates(
      ctx,
      grantIds.map(consentGrantKey),
      parseStoredGrant,
      (i) => new VppError(ErrorCode.NOT_FOUND, `grant ${grantIds[i]} does not exist`),
    );
    return toCanonicalJson({ grants, bookmark: page.bookmark } satisfies GrantPage);
  }

  /**
   * The grantee records an access before it gets the data: refused (FORBIDDEN "no valid grant")
   * unless the grant is active, for the caller's organisation and this data set, at the tx time.
   * Only a person of a member org records one (MEMBER_PEOPLE): the access log names who looked at
   * personal data, so a device's or the ingest service's certificate, which no person answers
   * for, must not be able to open a ticket under its org's grant.
   */
  @Transaction()
  @Returns('string')
  async RecordAccess(ctx: Context, grantId: string, dataSetJson: string): Promise<string> {
    const { mspId } = requireActor(ctx, MEMBER_PEOPLE);
    const dataSet = parseDataSetArgument(dataSetJson);
    const at = txTimestampIso(ctx);
    const grant = requireValidGrant(await readState(ctx, consentGrantKey(grantId), parseStoredGrant), {
      at,
      mspId,
      dataSet,
    });
    const txId = ctx.stub.getTxID();
    const entry = buildAccessLogEntry({
      grant,
      accessorMspId: mspId,
      accessor: callerName(ctx),
      at,
      txId,
    });
    const bytes = await writeState(ctx, accessLogKey(grantId, txId), entry);
    await writeState(ctx, accessByTxKey(txId), entry);
    emitEvent(ctx, DATA_ACCESSED_EVENT, bytes);
    return toCanonicalJson(entry);
  }

  /** The access a transaction recorded: the data holder's gateway checks it before serving. */
  @Transaction(false)
  @Returns('string')
  async GetAccessTicket(ctx: Context, txId: string): Promise<string> {
    requireMsp(ctx, [MspId.CVPP, MspId.REGULATOR]);
    const entry = await readState(ctx, accessByTxKey(txId), parseStoredAccessLogEntry);
    if (entry === undefined) throw noValidGrant();
    return toCanonicalJson(entry);
  }

  /**
   * One page of the accesses recorded under a grant, by transaction id, for the owner's operator, the
   * regulator and the grantee: `{ accesses, bookmark }`, bookmark '' on the last page.
   */
  @Transaction(false)
  @Returns('string')
  async ListAccessLog(ctx: Context, grantId: string, pageSize: string, bookmark: string): Promise<string> {
    await this.GetGrant(ctx, grantId);
    const page = await scanPrefixPage(
      ctx,
      accessLogPrefix(grantId),
      parseStoredAccessLogEntry,
      Number(pageSize),
      bookmark,
    );
    const accesses = page.entries.map((entry) => entry.value);
    return toCanonicalJson({ accesses, bookmark: page.bookmark } satisfies AccessLogPage);
  }

  /** The Merkle root anchored for a batch of raw samples (anchor id = the recording transaction). */
  @Transaction(false)
  @Returns('string')
  async GetSampleAnchor(ctx: Context, anchorId: string): Promise<string> {
    return toCanonicalJson(
      await requireState(
        ctx,
        sampleAnchorKey(anchorId),
        parseStoredSampleAnchor,
        `sample anchor ${anchorId}`,
      ),
    );
  }
}
