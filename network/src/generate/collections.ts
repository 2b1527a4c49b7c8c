/**
 * The chaincode definition's private data collections, as `peer lifecycle chaincode` reads them
 * (`--collections-config`): each collection's policy is OR of its members' `.member` principals.
 */
import type { Topology } from '../../../platform/src/topology';

export interface CollectionConfigJson {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy?: { signaturePolicy: string };
}

export function collectionsConfigOf(topology: Topology): CollectionConfigJson[] {
  return topology.chaincode.collections.map((collection) => ({
    name: collection.name,
    policy: `OR(${collection.members.map((mspId) => `'${mspId}.member'`).join(', ')})`,
    requiredPeerCount: collection.requiredPeerCount,
    maxPeerCount: collection.maxPeerCount,
    blockToLive: collection.blockToLive,
    memberOnlyRead: collection.memberOnlyRead,
    memberOnlyWrite: collection.memberOnlyWrite,
    ...(collection.endorsementPolicy === undefined
      ? {}
      : { endorsementPolicy: { signaturePolicy: collection.endorsementPolicy } }),
  }));
}

export const COLLECTIONS_CONFIG_FILE = 'collections_config.json';
