// What the transactions of a stretch of blocks called, read from the blocks themselves: for tests
// that must tell their own (absent) writes apart from the network's own, such as the regulator
// gateway's scheduled checkpoints.
import { common, msp, peer } from '@hyperledger/fabric-protos';
import type { Network } from '@hyperledger/fabric-gateway';

export interface LedgerCall {
  readonly blockNumber: number;
  readonly txId: string;
  readonly creatorMspId: string;
  /** The chaincode function as invoked, e.g. 'proofs:RecordCheckpoint' ('' for a config transaction). */
  readonly call: string;
}

/** The regulator's checkpoints, which its gateway records on a schedule whenever the chain moved. */
export const isScheduledCheckpoint = (call: LedgerCall): boolean =>
  call.call === 'proofs:RecordCheckpoint' && call.creatorMspId === 'RegulatorMSP';

function callOf(payloadData: Uint8Array): string {
  const [action] = peer.Transaction.deserializeBinary(payloadData).getActionsList();
  if (action === undefined) return '';
  const proposal = peer.ChaincodeProposalPayload.deserializeBinary(
    peer.ChaincodeActionPayload.deserializeBinary(
      action.getPayload_asU8(),
    ).getChaincodeProposalPayload_asU8(),
  );
  const spec = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec();
  const [fn] = spec?.getInput()?.getArgsList_asU8() ?? [];
  return fn === undefined ? '' : Buffer.from(fn).toString('utf8');
}

/** Every transaction of blocks [from, to), with its creator and call. */
export async function callsInBlocks(
  network: Network,
  channel: string,
  from: number,
  to: number,
): Promise<LedgerCall[]> {
  const qscc = network.getContract('qscc');
  const calls: LedgerCall[] = [];
  for (let n = from; n < to; n++) {
    const block = common.Block.deserializeBinary(
      await qscc.evaluateTransaction('GetBlockByNumber', channel, String(n)),
    );
    for (const envelopeBytes of block.getData()?.getDataList_asU8() ?? []) {
      const payload = common.Payload.deserializeBinary(
        common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8(),
      );
      const header = payload.getHeader();
      const channelHeader = common.ChannelHeader.deserializeBinary(
        header?.getChannelHeader_asU8() ?? new Uint8Array(),
      );
      const creator = common.SignatureHeader.deserializeBinary(
        header?.getSignatureHeader_asU8() ?? new Uint8Array(),
      );
      const isEndorser = channelHeader.getType() === common.HeaderType.ENDORSER_TRANSACTION;
      calls.push({
        blockNumber: n,
        txId: channelHeader.getTxId(),
        creatorMspId: msp.SerializedIdentity.deserializeBinary(creator.getCreator_asU8()).getMspid(),
        call: isEndorser ? callOf(payload.getData_asU8()) : '',
      });
    }
  }
  return calls;
}
