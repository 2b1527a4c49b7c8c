/** Checking a stored sample against an anchored root: the leaf is recomputed from the sample itself. */
import { type MerkleProof, type Sample, sampleLeaf, verifyMerkleProof } from '../../../chaincode/src/api';

export function merkleProofValid(sample: Sample, proof: MerkleProof, root: string): boolean {
  return verifyMerkleProof(sampleLeaf(sample), proof, root);
}
