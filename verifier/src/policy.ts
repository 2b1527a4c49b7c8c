// Evaluation of the channel's endorsement policy over a set of verified identities, with Fabric's
// semantics (common/policies/implicitmeta.go and common/cauthdsl/cauthdsl.go):
//
//   ImplicitMeta {sub_policy, rule}  each application org's policy named sub_policy is evaluated on
//                                    the whole set; ANY needs 1 org, ALL every org, MAJORITY ⌊n/2⌋+1.
//                                    An org without that policy counts as not satisfied.
//   SignedBy(i)                      the first not-yet-used identity satisfying principal i is used.
//   NOutOf(n, rules)                 each rule is tried on a copy of the used-marks; those it
//                                    satisfies are kept; true if at least n rules are satisfied.
//
// Each identity is used at most once per evaluation, and duplicates of one identity count once.

import {
  decodeImplicitMetaPolicy,
  decodeMspPrincipal,
  decodeSignaturePolicyEnvelope,
  IMPLICIT_META_ALL,
  IMPLICIT_META_ANY,
  IMPLICIT_META_MAJORITY,
  POLICY_TYPE_IMPLICIT_META,
  POLICY_TYPE_SIGNATURE,
  type ConfigGroup,
  type MspPrincipal,
  type SignaturePolicy,
} from './fabric-messages';
import { ConfigError, ROLE_NAMES, satisfiesRole, type Msp, type ValidIdentity } from './msp';

/** A policy ready to evaluate, with its text in Fabric's policy language for messages. */
export interface CompiledPolicy {
  readonly text: string;
  evaluate(identities: readonly ValidIdentity[]): PolicyOutcome;
}

export interface PolicyOutcome {
  readonly satisfied: boolean;
  /** MSP ids of the orgs whose sub-policy the identities satisfy (for a signature policy: every MSP of a used identity). */
  readonly satisfiedBy: readonly string[];
}

const MAX_SIGNED_BY = 1024;

function principalText(principal: MspPrincipal): string {
  if (principal.role === undefined) return `<principal classification ${principal.classification}>`;
  return `'${principal.role.mspId}.${ROLE_NAMES[principal.role.role] ?? `role${principal.role.role}`}'`;
}

function ruleText(rule: SignaturePolicy, principals: readonly MspPrincipal[]): string {
  if ('signedBy' in rule) {
    const principal = principals[rule.signedBy];
    return principal === undefined ? `<no principal ${rule.signedBy}>` : principalText(principal);
  }
  const parts = rule.rules.map((r) => ruleText(r, principals));
  if (rule.n === 1 && parts.length >= 1) return `OR(${parts.join(', ')})`;
  if (rule.n === parts.length) return `AND(${parts.join(', ')})`;
  return `OutOf(${rule.n}, ${parts.join(', ')})`;
}

/** Runs a rule against the identities, marking the ones it uses (cauthdsl's compiled closure). */
function runRule(
  rule: SignaturePolicy,
  principals: readonly MspPrincipal[],
  identities: readonly ValidIdentity[],
  used: boolean[],
): boolean {
  if ('signedBy' in rule) {
    const role = principals[rule.signedBy]?.role;
    if (role === undefined) return false;
    const found = identities.findIndex((id, i) => !used[i] && satisfiesRole(id, role.mspId, role.role));
    if (found < 0) return false;
    used[found] = true;
    return true;
  }
  let satisfied = 0;
  for (const sub of rule.rules) {
    const trial = [...used];
    if (runRule(sub, principals, identities, trial)) {
      satisfied++;
      trial.forEach((mark, i) => (used[i] = mark));
    }
  }
  return satisfied >= rule.n;
}

/** Identities with the same serialized bytes count once (Fabric deduplicates the signature set). */
function distinct(identities: readonly ValidIdentity[]): ValidIdentity[] {
  const seen = new Set<string>();
  return identities.filter((id) => {
    const key = Buffer.from(id.serialized).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compileSignaturePolicy(bytes: Uint8Array, where: string): CompiledPolicy {
  const envelope = decodeSignaturePolicyEnvelope(bytes);
  const principals = envelope.identities.map(decodeMspPrincipal);
  const count = (rule: SignaturePolicy): number =>
    'signedBy' in rule ? 1 : rule.rules.reduce((sum, r) => sum + count(r), 0);
  if (count(envelope.rule) > MAX_SIGNED_BY) throw new ConfigError(`${where}: policy too large`);
  return {
    text: ruleText(envelope.rule, principals),
    evaluate(identities) {
      const set = distinct(identities);
      const used = set.map(() => false);
      const satisfied = runRule(envelope.rule, principals, set, used);
      const satisfiedBy = [...new Set(set.filter((_, i) => used[i]).map((id) => id.msp.mspId))];
      return { satisfied, satisfiedBy: satisfied ? satisfiedBy : [] };
    },
  };
}

const RULE_NAMES: Readonly<Record<number, string>> = {
  [IMPLICIT_META_ANY]: 'ANY',
  [IMPLICIT_META_ALL]: 'ALL',
  [IMPLICIT_META_MAJORITY]: 'MAJORITY',
};

/**
 * Compiles /Channel/Application's policy `name` (ImplicitMeta over the orgs, or a signature policy).
 * `msps` gives each org group's MSP id, for messages.
 */
export function compileApplicationPolicy(
  application: ConfigGroup,
  name: string,
  msps: ReadonlyMap<string, Msp>,
): CompiledPolicy {
  const policy = application.policies.get(name);
  if (policy === undefined) throw new ConfigError(`/Channel/Application has no '${name}' policy`);
  if (policy.type === POLICY_TYPE_SIGNATURE) {
    return compileSignaturePolicy(policy.value, `/Channel/Application/${name}`);
  }
  if (policy.type !== POLICY_TYPE_IMPLICIT_META) {
    throw new ConfigError(`/Channel/Application/${name}: unsupported policy type ${policy.type}`);
  }
  const meta = decodeImplicitMetaPolicy(policy.value);
  const ruleName = RULE_NAMES[meta.rule];
  if (ruleName === undefined)
    throw new ConfigError(`/Channel/Application/${name}: unknown rule ${meta.rule}`);
  const mspIdOfOrg = new Map([...msps.values()].map((msp) => [msp.orgName, msp.mspId]));
  const orgs = [...application.groups].map(([orgName, group]) => {
    const sub = group.policies.get(meta.subPolicy);
    const where = `/Channel/Application/${orgName}/${meta.subPolicy}`;
    if (sub !== undefined && sub.type !== POLICY_TYPE_SIGNATURE) {
      throw new ConfigError(`${where}: only signature policies are supported under an org`);
    }
    return {
      mspId: mspIdOfOrg.get(orgName) ?? orgName,
      policy: sub === undefined ? undefined : compileSignaturePolicy(sub.value, where),
    };
  });
  const threshold =
    meta.rule === IMPLICIT_META_ANY
      ? 1
      : meta.rule === IMPLICIT_META_ALL
        ? orgs.length
        : Math.floor(orgs.length / 2) + 1;
  return {
    text: `${ruleName} ${meta.subPolicy} of ${orgs.map((org) => org.mspId).join(', ')}`,
    evaluate(identities) {
      const satisfiedBy = orgs
        .filter((org) => org.policy?.evaluate(identities).satisfied === true)
        .map((org) => org.mspId);
      return { satisfied: satisfiedBy.length >= threshold, satisfiedBy };
    },
  };
}
