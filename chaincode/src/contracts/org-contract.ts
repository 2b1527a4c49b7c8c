// Organisation profiles: each consortium member publishes one profile under its own MSP ID.
// Transactions are thin: authorise, read, call the pure domain rules, write, emit. Helpers stay at
// module level so they can never become invokable transactions.

// Context must stay a value import: emitDecoratorMetadata records it as the first parameter type,
// which is how fabric-contract-api recognises and drops ctx from the transaction's parameters.
import { Context, Info, Returns, Transaction } from 'fabric-contract-api';
import { buildOrgProfile, compareOrgProfiles, parseStoredOrgProfile } from '../domain/org/org-profile';
import { parseJson, toCanonicalJson, type JsonValue } from '../encoding/canonical-json';
import { requireActor } from '../ledger/identity';
import { orgProfileKey, orgProfilePrefix } from '../encoding/keys';
import { emitEvent, readState, requireState, scanPrefix, writeState } from '../ledger/store';
import { txTimestampIso } from '../ledger/tx-time';
import { ORG_ADMINS } from '../types/consortium';
import { ErrorCode, VppError } from '../types/errors';
import { ORG_CONTRACT_NAME, ORG_PROFILE_UPDATED_EVENT } from '../types/contracts';
import { VppContract } from './vpp-contract';

/** Profiles are a few hundred bytes; refuse to even parse anything far larger. */
export const MAX_PROFILE_JSON_LENGTH = 4096;

function parseProfileArgument(profileJson: string): JsonValue {
  if (profileJson.length > MAX_PROFILE_JSON_LENGTH) {
    throw new VppError(
      ErrorCode.INVALID_ARGUMENT,
      `profileJson exceeds ${MAX_PROFILE_JSON_LENGTH} characters`,
    );
  }
  return parseJson(profileJson);
}

@Info({ title: 'OrgContract', description: 'Consortium member organisation profiles' })
export class OrgContract extends VppContract {
  constructor() {
    super(ORG_CONTRACT_NAME);
  }

  /** Creates or replaces the caller organisation's profile. Only that organisation's admins may. */
  @Transaction()
  @Returns('string')
  async PutOrgProfile(ctx: Context, profileJson: string): Promise<string> {
    const { mspId, role } = requireActor(ctx, ORG_ADMINS);
    const input = parseProfileArgument(profileJson);
    const key = orgProfileKey(mspId);
    const previous = await readState(ctx, key, parseStoredOrgProfile);
    const profile = buildOrgProfile({
      input,
      caller: { mspId, role },
      timestamp: txTimestampIso(ctx),
      previous,
    });
    const bytes = await writeState(ctx, key, profile);
    emitEvent(ctx, ORG_PROFILE_UPDATED_EVENT, bytes);
    return toCanonicalJson(profile);
  }

  /** Any channel member may read any profile. A malformed mspId is INVALID_ARGUMENT, not NOT_FOUND. */
  @Transaction(false)
  @Returns('string')
  async GetOrgProfile(ctx: Context, mspId: string): Promise<string> {
    const profile = await requireState(
      ctx,
      orgProfileKey(mspId),
      parseStoredOrgProfile,
      `org profile ${mspId}`,
    );
    return toCanonicalJson(profile);
  }

  /** All profiles, sorted by MSP ID, as a JSON array. */
  @Transaction(false)
  @Returns('string')
  async ListOrgProfiles(ctx: Context): Promise<string> {
    const entries = await scanPrefix(ctx, orgProfilePrefix(), parseStoredOrgProfile);
    return toCanonicalJson(entries.map((entry) => entry.value).sort(compareOrgProfiles));
  }
}
