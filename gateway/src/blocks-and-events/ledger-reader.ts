// Typed reads of the channel's own records through the peer's system chaincodes, as the caller:
// qscc (blocks, transactions, chain height) and cscc (the current config block). Behind a narrow
// port so routes are tested with a fake and this facade owns all decoding and not-found handling.

import { GatewayError } from '@hyperledger/fabric-gateway';
import { ApiError } from '../core/api-error';
import {
  decodeBlock,
  decodeChainInfo,
  decodeProcessedTransaction,
  type DecodedBlock,
  type DecodedTransaction,
} from './block-decoder';
import { channelOrgsFromBlock, type ChannelOrg } from '../../../platform/src/ledger/channel-config';

/** The slice of a fabric-gateway Network the reader needs (a real Network satisfies it). */
export interface SystemContracts {
  getContract(chaincodeName: string): {
    evaluateTransaction(name: string, ...args: string[]): Promise<Uint8Array>;
  };
}

export interface ChainInfo {
  readonly height: number;
  readonly currentBlockHash: string;
}

export interface LocatedTransaction extends DecodedTransaction {
  readonly blockNumber: number;
}

/** TSDoc'd port: the regulator's ledger views. */
export interface LedgerReader {
  chainInfo(): Promise<ChainInfo>;
  /** Throws ApiError 404 NOT_FOUND for a block beyond the chain's height. */
  block(number: bigint): Promise<DecodedBlock>;
  /** Throws ApiError 404 NOT_FOUND for an unknown transaction ID. */
  transaction(txId: string): Promise<LocatedTransaction>;
  /** The certificate directory from the channel's current config block. */
  channelOrgs(): Promise<{ configBlockNumber: number; orgs: ChannelOrg[] }>;
}

/**
 * qscc reports an unknown transaction ID only in its message text (the ledger's `no such transaction
 * ID`); there is no status code for it, so this one fixed phrase is matched, and only for that call.
 */
const NO_SUCH_TX = 'no such transaction ID';

function isUnknownTransaction(err: unknown): boolean {
  return (
    err instanceof GatewayError &&
    [err.message, ...err.details.map((d) => d.message)].some((m) => m.includes(NO_SUCH_TX))
  );
}

export function newLedgerReader(network: SystemContracts, channel: string): LedgerReader {
  const qscc = () => network.getContract('qscc');
  const chainInfo = async () => decodeChainInfo(await qscc().evaluateTransaction('GetChainInfo', channel));

  return {
    chainInfo,
    async block(number) {
      const { height } = await chainInfo();
      if (number >= BigInt(height)) {
        throw new ApiError(404, 'NOT_FOUND', `block ${number} does not exist yet (height ${height})`);
      }
      return decodeBlock(await qscc().evaluateTransaction('GetBlockByNumber', channel, String(number)));
    },
    async transaction(txId) {
      try {
        const [processed, blockBytes] = await Promise.all([
          qscc().evaluateTransaction('GetTransactionByID', channel, txId),
          qscc().evaluateTransaction('GetBlockByTxID', channel, txId),
        ]);
        return { ...decodeProcessedTransaction(processed), blockNumber: decodeBlock(blockBytes).number };
      } catch (err) {
        if (isUnknownTransaction(err)) throw new ApiError(404, 'NOT_FOUND', `transaction ${txId} not found`);
        throw err;
      }
    },
    async channelOrgs() {
      const bytes = await network.getContract('cscc').evaluateTransaction('GetConfigBlock', channel);
      return { configBlockNumber: decodeBlock(bytes).number, orgs: channelOrgsFromBlock(bytes) };
    },
  };
}

const NAMESPACE = '\u0000';
const SEPARATOR = '\u0000';

/**
 * The composite key exactly as the chaincode stores it (Fabric's createCompositeKey encoding). The
 * chaincode re-validates it (object type known, canonical form); here only U+0000 and empty parts,
 * which cannot be encoded at all, are refused.
 */
export function ledgerKey(objectType: string, attributes: readonly string[]): string {
  for (const part of [objectType, ...attributes]) {
    if (part.length === 0 || part.includes(SEPARATOR)) {
      throw new ApiError(400, 'VALIDATION_FAILED', 'key parts must be non-empty and must not contain U+0000');
    }
  }
  return NAMESPACE + objectType + SEPARATOR + attributes.map((a) => a + SEPARATOR).join('');
}
