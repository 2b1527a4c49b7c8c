/** The market contract as the gateway calls it: intervals, demand, sealed bids, quotas, clearing. */
import type { FastifyRequest } from 'fastify';
import {
  MARKET_CONTRACT_NAME,
  MARKET_TX,
  type Bid,
  type BidCommitment,
  type ViolationPage,
  type ClearingCheck,
  type ClearingRecord,
  type CommitmentInput,
  type Demand,
  type DemandInput,
  type IntervalPage,
  type IntervalView,
  type MarketInterval,
  type MarketIntervalInput,
  type PortfolioResult,
  type RevealedBid,
  type ViolationsRecorded,
  type VppQuota,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: every market transaction a route may ask for, typed as the chaincode answers. */
export class MarketLedger {
  readonly #contract: ContractClient<keyof typeof MARKET_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, MARKET_CONTRACT_NAME);
  }

  openInterval(as: FastifyRequest, interval: MarketIntervalInput): Promise<Committed<MarketInterval>> {
    return this.#contract.submit(as, MARKET_TX.OpenInterval, [JSON.stringify(interval)]);
  }

  interval(as: FastifyRequest, intervalId: string): Promise<IntervalView> {
    return this.#contract.evaluate(as, MARKET_TX.GetInterval, [intervalId]);
  }

  intervals(as: FastifyRequest, pageSize: number, bookmark: string): Promise<IntervalPage> {
    return this.#contract.evaluate(as, MARKET_TX.ListIntervals, [String(pageSize), bookmark]);
  }

  /** The demand goes with its interval's id first, as the chaincode's input names it. */
  postDemand(
    as: FastifyRequest,
    intervalId: string,
    demand: Omit<DemandInput, 'intervalId'>,
  ): Promise<Committed<Demand>> {
    return this.#contract.submit(as, MARKET_TX.PostDemand, [JSON.stringify({ intervalId, ...demand })]);
  }

  commitBid(
    as: FastifyRequest,
    intervalId: string,
    commitment: Omit<CommitmentInput, 'intervalId'>,
  ): Promise<Committed<BidCommitment>> {
    return this.#contract.submit(as, MARKET_TX.CommitBid, [JSON.stringify({ intervalId, ...commitment })]);
  }

  /** The bid travels exactly as given: the chaincode hashes it against the commitment. */
  revealBid(as: FastifyRequest, intervalId: string, bid: Bid, salt: string): Promise<Committed<RevealedBid>> {
    return this.#contract.submit(as, MARKET_TX.RevealBid, [intervalId, JSON.stringify(bid), salt]);
  }

  /** A portfolio of commitments for one interval, in one transaction; one result per bid. */
  commitBids(
    as: FastifyRequest,
    intervalId: string,
    commitments: readonly Omit<CommitmentInput, 'intervalId'>[],
  ): Promise<Committed<PortfolioResult>> {
    const list = commitments.map((commitment) => ({ intervalId, ...commitment }));
    return this.#contract.submit(as, MARKET_TX.CommitBids, [JSON.stringify(list)]);
  }

  /** A portfolio of reveals in one interval, bids exactly as given; one result per bid. */
  revealBids(
    as: FastifyRequest,
    intervalId: string,
    reveals: readonly { bid: Bid; salt: string }[],
  ): Promise<Committed<PortfolioResult>> {
    return this.#contract.submit(as, MARKET_TX.RevealBids, [intervalId, JSON.stringify(reveals)]);
  }

  recordUnrevealedViolations(as: FastifyRequest, intervalId: string): Promise<Committed<ViolationsRecorded>> {
    return this.#contract.submit(as, MARKET_TX.RecordUnrevealedViolations, [intervalId]);
  }

  /** One page of a VPP's violations by interval and bid; `bookmark` is the previous page's ('' first). */
  vppViolations(
    as: FastifyRequest,
    vppId: string,
    pageSize: number,
    bookmark: string,
  ): Promise<ViolationPage> {
    return this.#contract.evaluate(as, MARKET_TX.ListVppViolations, [vppId, String(pageSize), bookmark]);
  }

  clearInterval(as: FastifyRequest, intervalId: string): Promise<Committed<ClearingRecord>> {
    return this.#contract.submit(as, MARKET_TX.ClearInterval, [intervalId]);
  }

  clearing(as: FastifyRequest, intervalId: string): Promise<ClearingRecord> {
    return this.#contract.evaluate(as, MARKET_TX.GetClearing, [intervalId]);
  }

  verifyClearing(as: FastifyRequest, intervalId: string): Promise<ClearingCheck> {
    return this.#contract.evaluate(as, MARKET_TX.VerifyClearing, [intervalId]);
  }

  setVppQuota(as: FastifyRequest, vppId: string, quantity: number): Promise<Committed<VppQuota>> {
    return this.#contract.submit(as, MARKET_TX.SetVppQuota, [vppId, String(quantity)]);
  }

  vppQuota(as: FastifyRequest, vppId: string): Promise<VppQuota> {
    return this.#contract.evaluate(as, MARKET_TX.GetVppQuota, [vppId]);
  }
}
