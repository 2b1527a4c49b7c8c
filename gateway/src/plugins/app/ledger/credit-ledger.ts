/** The credit contract as the gateway calls it: rulebook versions, standings, records, decisions. */
import type { FastifyRequest } from 'fastify';
import {
  CREDIT_CONTRACT_NAME,
  CREDIT_TX,
  type CreditEventRecorded,
  type CreditStandingDetails,
  type DirectEventInput,
  type Participant,
  type ParticipantType,
  type Ranking,
  type RulebookInput,
  type RulebookVersion,
  type ScoreRecordPage,
  type SuspensionRecord,
} from '../../../../../chaincode/src/api';
import type { FabricPort } from '../fabric-connection';
import { ContractClient, type Committed } from './contract-client';

/** TSDoc'd facade: the credit rating's records, typed as the chaincode answers them. */
export class CreditLedger {
  readonly #contract: ContractClient<keyof typeof CREDIT_TX>;

  constructor(fabric: FabricPort) {
    this.#contract = new ContractClient(fabric, CREDIT_CONTRACT_NAME);
  }

  /** The version in force at `at`, or now when `at` is undefined. */
  rulebookInForce(as: FastifyRequest, at: string | undefined): Promise<RulebookVersion> {
    return this.#contract.evaluate(as, CREDIT_TX.GetRulebookInForce, [at ?? '']);
  }

  rulebookVersions(as: FastifyRequest): Promise<RulebookVersion[]> {
    return this.#contract.evaluate(as, CREDIT_TX.ListRulebookVersions, []);
  }

  /** `version` as the URL gave it: the chaincode checks its range. */
  rulebook(as: FastifyRequest, version: string): Promise<RulebookVersion> {
    return this.#contract.evaluate(as, CREDIT_TX.GetRulebook, [version]);
  }

  publishRulebook(as: FastifyRequest, rulebook: RulebookInput): Promise<Committed<RulebookVersion>> {
    return this.#contract.submit(as, CREDIT_TX.PublishRulebook, [JSON.stringify(rulebook)]);
  }

  standing(as: FastifyRequest, participant: Participant): Promise<CreditStandingDetails> {
    return this.#contract.evaluate(as, CREDIT_TX.GetCreditStanding, [participant.type, participant.id]);
  }

  /** One page of score records in event-time order; `bookmark` is the previous page's ('' first). */
  scoreRecords(
    as: FastifyRequest,
    participant: Participant,
    pageSize: number,
    bookmark: string,
  ): Promise<ScoreRecordPage> {
    return this.#contract.evaluate(as, CREDIT_TX.ListScoreRecords, [
      participant.type,
      participant.id,
      String(pageSize),
      bookmark,
    ]);
  }

  ranking(as: FastifyRequest, participantType: ParticipantType): Promise<Ranking> {
    return this.#contract.evaluate(as, CREDIT_TX.RankParticipants, [participantType]);
  }

  suspend(
    as: FastifyRequest,
    participant: Participant,
    reason: string,
  ): Promise<Committed<SuspensionRecord>> {
    return this.#contract.submit(as, CREDIT_TX.SuspendParticipant, [participantJson(participant), reason]);
  }

  reinstate(
    as: FastifyRequest,
    participant: Participant,
    reason: string,
  ): Promise<Committed<SuspensionRecord>> {
    return this.#contract.submit(as, CREDIT_TX.ReinstateParticipant, [participantJson(participant), reason]);
  }

  /** The event as the caller sent it (intervalId left out when absent). */
  recordEvent(
    as: FastifyRequest,
    event: Omit<DirectEventInput, 'intervalId'> & { intervalId?: string },
  ): Promise<Committed<CreditEventRecorded>> {
    return this.#contract.submit(as, CREDIT_TX.RecordCreditEvent, [JSON.stringify(event)]);
  }
}

/** Type first, then id: the participant as the chaincode's argument names it. */
const participantJson = (participant: Participant): string =>
  JSON.stringify({ type: participant.type, id: participant.id });
