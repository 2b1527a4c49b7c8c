/** The telemetry contract as the gateway calls it: batches of device-signed readings and their reads. */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import {
  TELEMETRY_CONTRACT_NAME,
  TELEMETRY_TX,
  type BatchResult,
  type ReadingPage,
  type SampleAnchorInput,
  type SignedReading,
  type StoredReading,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient } from './contract-client';

/** TSDoc'd facade: readings in (as the gateway's ingest identity) and out (as the caller). */
export class TelemetryLedger {
  readonly #contract: ContractClient<keyof typeof TELEMETRY_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, TELEMETRY_CONTRACT_NAME);
  }

  /**
   * Records one batch as the ingest identity (no user signs device readings); with `samples`, the
   * Merkle anchor of their raw samples goes into the same transaction. `log` carries the tx id.
   */
  async recordReadings(
    readings: readonly SignedReading[],
    samples: SampleAnchorInput | undefined,
    log: FastifyBaseLogger,
  ): Promise<BatchResult> {
    const batch = samples === undefined ? readings : { readings, samples };
    const { result } = await this.#contract.submitAsService<BatchResult>(
      TELEMETRY_TX.RecordReadings,
      [JSON.stringify(batch)],
      log,
    );
    return result;
  }

  derReadings(as: FastifyRequest, derId: string, intervalId: string): Promise<StoredReading[]> {
    return this.#contract.evaluate(as, TELEMETRY_TX.GetDerReadings, [derId, intervalId]);
  }

  /** One page of a VPP's readings in an interval, by DER then sequence; `bookmark` '' for the first. */
  vppReadings(
    as: FastifyRequest,
    vppId: string,
    intervalId: string,
    pageSize: number,
    bookmark: string,
  ): Promise<ReadingPage> {
    return this.#contract.evaluate(as, TELEMETRY_TX.ListVppReadings, [
      vppId,
      intervalId,
      String(pageSize),
      bookmark,
    ]);
  }
}
