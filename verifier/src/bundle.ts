// The proof bundle: what GET /v1/proofs/... returns and what vpp-verify reads. Every field is either
// raw bytes the verifier recomputes hashes and signatures over (base64 of Fabric's own protobuf
// encoding, exactly as the peer stored or signed it), or a claim the verifier checks against them.
// Nothing here is trusted by the verifier on its own: only the checkpoint the user pins.
//
// This file is the format's single definition. It imports nothing, so the verifier stays independent
// of the chaincode and gateway code that produce bundles.

export const BUNDLE_FORMAT = 'vpp-ledger.proof-bundle/1';

export const PROOF_KINDS = ['reading', 'sample', 'clearing', 'settlement-line', 'credit-record'] as const;
export type ProofKind = (typeof PROOF_KINDS)[number];

/** The ledger object type (first part of the composite key) each kind of proof is about. */
export const OBJECT_TYPE_OF_KIND: Readonly<Record<ProofKind, string>> = {
  reading: 'vpp.reading',
  sample: 'vpp.sampleAnchor',
  clearing: 'vpp.clearing',
  'settlement-line': 'vpp.settlementDer',
  'credit-record': 'vpp.scoreRecord',
};

/** A block number the regulator vouches for, with the hash of the config block in force at it. */
export interface Checkpoint {
  readonly channel: string;
  readonly blockNumber: number;
  /** Fabric block hash (SHA-256 of the header's ASN.1 DER encoding), 64 lowercase hex. */
  readonly blockHash: string;
  /** The channel's last config block at or before blockNumber. */
  readonly configBlockNumber: number;
  readonly configBlockHash: string;
  /** Transaction that recorded the checkpoint on the ledger (the regulator's). */
  readonly txId: string;
  /** The recording transaction's timestamp, ISO-8601 UTC. */
  readonly recordedAt: string;
}

export interface BlockHeaderFields {
  readonly number: number;
  /** 64 lowercase hex; '' only for the genesis block. */
  readonly previousHash: string;
  readonly dataHash: string;
}

export interface ProofBundle {
  readonly format: typeof BUNDLE_FORMAT;
  readonly kind: ProofKind;
  readonly channel: string;
  /** The chaincode (rwset namespace) that wrote the value. */
  readonly chaincode: string;
  readonly claim: {
    /** The state key exactly as stored: a Fabric composite key, U+0000 included. */
    readonly key: string;
    /** The value exactly as written (UTF-8 JSON text with sorted keys). */
    readonly value: string;
  };
  /** Where the writing transaction is. */
  readonly transaction: { readonly txId: string; readonly blockNumber: number; readonly index: number };
  /** common.Block of blockNumber, base64, as qscc returns it (header, every envelope, metadata). */
  readonly block: string;
  /** Headers of blocks blockNumber+1 … checkpoint.blockNumber, in order (empty if equal). */
  readonly headers: readonly BlockHeaderFields[];
  readonly checkpoint: Checkpoint;
  /** common.Block of checkpoint.configBlockNumber, base64: MSP roots, NodeOUs, policies. */
  readonly config: string;
  /**
   * A read of claim.key endorsed (never submitted) after the transaction committed: its rwset reads
   * the key at version {blockNumber, index}, which peers record only for a valid transaction's write,
   * so a MAJORITY of orgs signing it attests that the transaction was valid and is the key's latest write.
   */
  readonly attestation: {
    /**
     * The common.Payload bytes of the endorsed, unsigned transaction, base64, exactly as Fabric's
     * gateway prepared it (the prepared transaction's envelope payload; the client never signs it):
     *
     *   Payload {
     *     header = Header {
     *       channel_header   = ChannelHeader {type ENDORSER_TRANSACTION, timestamp, channel_id = channel, tx_id, …},
     *       signature_header = SignatureHeader {creator, nonce} },
     *     data = peer.Transaction { actions = [ TransactionAction {
     *       header  = the same SignatureHeader bytes,
     *       payload = ChaincodeActionPayload {
     *         chaincode_proposal_payload = ChaincodeProposalPayload {input = ChaincodeInvocationSpec
     *           {chaincode_spec {chaincode_id.name = chaincode, input.args = [function, …, claim.key]}}}
     *           (its transient map removed),
     *         action = ChaincodeEndorsedAction {
     *           proposal_response_payload = ProposalResponsePayload {proposal_hash, extension = ChaincodeAction
     *             {results = the read set, response, chaincode_id}},
     *           endorsements = [Endorsement {endorser = msp.SerializedIdentity, signature over
     *             proposal_response_payload ‖ endorser}, …] } } } ] } }
     *
     * The endorsers signed proposal_hash = SHA-256(channel_header ‖ signature_header ‖
     * chaincode_proposal_payload), so the signatures bind the read to this channel, this call
     * (chaincode and last argument claim.key) and the channel header's time.
     */
    readonly payload: string;
  };
  /** For kind 'sample': one raw sample and its RFC 6962 audit path to the anchor's root. */
  readonly merkle?: {
    /** The leaf bytes, UTF-8 canonical JSON of the sample (leaf hash = SHA-256(0x00 ‖ bytes)). */
    readonly leaf: string;
    readonly index: number;
    readonly size: number;
    /** Sibling hashes bottom-up, 64 lowercase hex each. */
    readonly path: readonly string[];
  };
}
