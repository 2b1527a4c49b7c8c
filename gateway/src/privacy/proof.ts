/** Checking a stored sample against an anchored root: the leaf is recomputed from the sample itself. */
import { verifyMerkleProof, type MerkleProof } from '../../../chaincode/src/domain/privacy/merkle';
import { sampleLeaf, type Sample } from '../../../chaincode/src/domain/privacy/samples';

export function merkleProofValid(sample: Sample, proof: MerkleProof, root: string): boolean {
  return verifyMerkleProof(sampleLeaf(sample), proof, root);
}
