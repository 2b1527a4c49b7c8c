/**
 * What every ledger facade shares: one contract of the project's chaincode reached through the
 * FabricPort, with its transaction names limited to those the chaincode API lists for it, and the
 * one decoding of result bytes (the chaincode answers canonical JSON).
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { PrivateInput } from '../../../../../platform/src/fabric/bft-submit';
import type { FabricPort } from '../fabric-connection';
import { recordCommit } from '../read-your-writes';

/** A committed write: the chaincode's answer and the transaction that carried it. */
export interface Committed<T> {
  readonly result: T;
  readonly txId: string;
  readonly blockNumber: bigint;
}

/** The chaincode's result bytes as the JSON value they hold. */
export function decodeResult<T>(bytes: Uint8Array): T {
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
}

/** One contract, called as the request's caller or as the gateway's own ingest identity. */
export class ContractClient<Tx extends string> {
  constructor(
    private readonly fabric: FabricPort,
    readonly contractName: string,
  ) {}

  /** Query as the request's caller. */
  async evaluate<T>(as: FastifyRequest, tx: Tx, args: readonly string[]): Promise<T> {
    return decodeResult<T>(await this.fabric.evaluate(as, this.contractName, tx, [...args]));
  }

  /** Endorse, order and wait for commit as the request's caller; the response will name the commit. */
  async submit<T>(
    as: FastifyRequest,
    tx: Tx,
    args: readonly string[],
    privateInput?: PrivateInput,
  ): Promise<Committed<T>> {
    const committed = await this.fabric.submit(as, this.contractName, tx, [...args], privateInput);
    recordCommit(as, committed);
    return { ...committed, result: decodeResult<T>(committed.result) };
  }

  /** Query as the gateway's ingest identity; the raw bytes, for callers that parse them their own way. */
  evaluateAsServiceRaw(tx: Tx, args: readonly string[]): Promise<Uint8Array> {
    return this.fabric.service.evaluate(this.contractName, tx, [...args]);
  }

  /** Query as the gateway's ingest identity (work no user signs). */
  async evaluateAsService<T>(tx: Tx, args: readonly string[]): Promise<T> {
    return decodeResult<T>(await this.evaluateAsServiceRaw(tx, args));
  }

  /** Endorse, order and wait for commit as the gateway's ingest identity; `log` carries the tx id. */
  async submitAsService<T>(tx: Tx, args: readonly string[], log: FastifyBaseLogger): Promise<Committed<T>> {
    const committed = await this.fabric.service.submit(this.contractName, tx, [...args], log);
    return { ...committed, result: decodeResult<T>(committed.result) };
  }
}
