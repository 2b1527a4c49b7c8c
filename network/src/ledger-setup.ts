/**
 * Setup steps after the chaincode is up, each idempotent.
 *
 * Trust anchors: each org's admin records the org's CA certificates on the
 * ledger (registry:RecordCaCertificates), taken from the channel configuration itself (cscc), so that
 * the chaincode checks device certificates against exactly the CAs the channel MSP trusts. Idempotent:
 * an org whose recorded certificates already equal the channel's is left alone.
 */
import { GatewayError } from '@hyperledger/fabric-gateway';
import {
  CALENDAR_CONTRACT_NAME,
  CALENDAR_TX,
  DEFAULT_MARKET_CALENDAR,
  MspId,
  type MarketCalendarVersion,
} from '../../chaincode/src/api';
import { connectAs } from '../../platform/src/fabric/org-connection';
import { channelOrgsFromBlock } from '../../platform/src/ledger/channel-config';
import type { Topology } from '../../platform/src/topology';

const normalise = (pem: string) => pem.trim() + '\n';

export async function recordTrustAnchors(topology: Topology, log: (line: string) => void): Promise<void> {
  for (const org of topology.orgs) {
    const connection = connectAs(topology, org.name, 'admin');
    try {
      const block = await connection.network
        .getContract('cscc')
        .evaluateTransaction('GetConfigBlock', topology.channel.name);
      const inChannel = channelOrgsFromBlock(block).find((candidate) => candidate.mspId === org.mspId);
      if (!inChannel) throw new Error(`${org.mspId} is not in the channel configuration`);
      const expected = [...inChannel.rootCerts, ...inChannel.intermediateCerts].map(normalise);
      const registry = connection.contract('registry');
      let recorded: string[] = [];
      try {
        const bytes = await registry.evaluateTransaction('GetCaCertificates', org.mspId);
        recorded = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { certificates: string[] })
          .certificates;
      } catch (err) {
        if (!(err instanceof GatewayError) || !err.details.some((d) => d.message.includes('NOT_FOUND')))
          throw err;
      }
      if (JSON.stringify(recorded) === JSON.stringify(expected)) continue;
      await connection.submit('registry', 'RecordCaCertificates', [JSON.stringify(expected)]);
      log(`${org.mspId}: recorded ${expected.length} CA certificate(s) from the channel MSP on the ledger`);
    } finally {
      connection.close();
    }
  }
}

/**
 * The credit rulebook: the regulator's admin installs the default rulebook (version 1) when no
 * version exists yet, so that VPPs have a credit level (bid quota, penalty factor) from the start.
 * Later versions are the regulator's to publish (POST /v1/credit/rulebook).
 */
export async function installRulebook(topology: Topology, log: (line: string) => void): Promise<void> {
  const regulator = topology.orgs.find((org) => org.mspId === 'RegulatorMSP');
  if (!regulator) return;
  const connection = connectAs(topology, regulator.name, 'admin');
  try {
    const credit = connection.contract('credit');
    const versions = JSON.parse(
      Buffer.from(await credit.evaluateTransaction('ListRulebookVersions')).toString('utf8'),
    ) as unknown[];
    if (versions.length > 0) return;
    await connection.submit('credit', 'InstallDefaultRulebook', []);
    log('RegulatorMSP: installed the default credit rulebook (version 1)');
  } finally {
    connection.close();
  }
}

/**
 * The market calendar: the regulator's admin installs the topology's calendar (or the default one) as
 * version 1 when no version exists yet. A calendar already installed is left alone, even if the
 * topology now names another: later versions are the regulator's to publish (POST /v1/market/calendar),
 * and a changed topology says so in the log.
 */
export async function installMarketCalendar(topology: Topology, log: (line: string) => void): Promise<void> {
  const regulator = topology.orgs.find((org) => org.mspId === MspId.REGULATOR);
  if (!regulator) return;
  const wanted = topology.marketCalendar ?? DEFAULT_MARKET_CALENDAR;
  const connection = connectAs(topology, regulator.name, 'admin');
  try {
    const calendar = connection.contract(CALENDAR_CONTRACT_NAME);
    const versions = JSON.parse(
      Buffer.from(await calendar.evaluateTransaction(CALENDAR_TX.ListMarketCalendarVersions)).toString(
        'utf8',
      ),
    ) as MarketCalendarVersion[];
    const first = versions[0];
    if (first !== undefined) {
      if (
        first.meteringIntervalSeconds !== wanted.meteringIntervalSeconds ||
        first.readingWindowSeconds !== wanted.readingWindowSeconds
      ) {
        log(
          `RegulatorMSP: the ledger's market calendar (version ${versions.length}) differs from the topology's; left as it is`,
        );
      }
      return;
    }
    await connection.submit(CALENDAR_CONTRACT_NAME, CALENDAR_TX.InstallMarketCalendar, [
      JSON.stringify(wanted),
    ]);
    log(
      `RegulatorMSP: installed the market calendar (version 1): ${wanted.meteringIntervalSeconds}-second metering intervals, ` +
        `${wanted.readingWindowSeconds}-second reading window`,
    );
  } finally {
    connection.close();
  }
}

export async function prepareLedger(topology: Topology, log: (line: string) => void): Promise<void> {
  await recordTrustAnchors(topology, log);
  await installRulebook(topology, log);
  await installMarketCalendar(topology, log);
}
