// The certificate directory of a channel: every member organisation's MSP ID with its root and TLS
// root certificates, read from the channel's config block (common.Config → Application/Orderer org
// groups → MSP value → msp.FabricMSPConfig). Pure, so it is unit-tested on config blocks built in memory.

import { common, msp } from '@hyperledger/fabric-protos';
import { decodeOrThrow, LedgerDecodeError } from './decode-error';

export interface ChannelOrg {
  readonly mspId: string;
  /** Config group names the org appears in: Application (peers) and/or Orderer (consenters). */
  readonly groups: readonly string[];
  /** PEM texts, in config order. */
  readonly rootCerts: readonly string[];
  readonly intermediateCerts: readonly string[];
  readonly tlsRootCerts: readonly string[];
  readonly tlsIntermediateCerts: readonly string[];
}

const ORG_GROUPS = ['Application', 'Orderer'] as const;
const MSP_KEY = 'MSP';
/** msp.MSPConfig.type: 0 is an X.509 Fabric MSP; others (idemix) have no certificates to list. */
const FABRIC_MSP_TYPE = 0;

const pem = (certs: Uint8Array[]): string[] => certs.map((cert) => Buffer.from(cert).toString('utf8'));

/** The channel configuration carried by a config block (the block's only envelope). */
export function configFromBlock(blockBytes: Uint8Array): common.Config {
  const block = decodeOrThrow('block', () => common.Block.deserializeBinary(blockBytes));
  const [envelopeBytes, ...rest] = block.getData()?.getDataList_asU8() ?? [];
  if (envelopeBytes === undefined || rest.length > 0) {
    throw new LedgerDecodeError('a config block must hold exactly one envelope');
  }
  const payload = decodeOrThrow('payload', () =>
    common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8()),
  );
  const headerBytes = payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array();
  const type = decodeOrThrow('channel header', () =>
    common.ChannelHeader.deserializeBinary(headerBytes),
  ).getType();
  if (type !== common.HeaderType.CONFIG) {
    throw new LedgerDecodeError(`block is not a config block (header type ${type})`);
  }
  const config = decodeOrThrow('config envelope', () =>
    common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()),
  ).getConfig();
  if (config === undefined) throw new LedgerDecodeError('config envelope has no config');
  return config;
}

/** Every org of the channel (application and orderer), merged by MSP ID and sorted by it. */
export function channelOrgs(config: common.Config): ChannelOrg[] {
  const byMsp = new Map<string, { groups: string[]; config: msp.FabricMSPConfig }>();
  const channel = config.getChannelGroup();
  for (const groupName of ORG_GROUPS) {
    channel
      ?.getGroupsMap()
      .get(groupName)
      ?.getGroupsMap()
      .forEach((orgGroup: common.ConfigGroup, orgName: string) => {
        const value = orgGroup.getValuesMap().get(MSP_KEY);
        if (value === undefined) return;
        const mspConfig = decodeOrThrow(`MSP of ${orgName}`, () =>
          msp.MSPConfig.deserializeBinary(value.getValue_asU8()),
        );
        if (mspConfig.getType() !== FABRIC_MSP_TYPE) return;
        const fabric = decodeOrThrow(`Fabric MSP of ${orgName}`, () =>
          msp.FabricMSPConfig.deserializeBinary(mspConfig.getConfig_asU8()),
        );
        const entry = byMsp.get(fabric.getName());
        if (entry === undefined) {
          byMsp.set(fabric.getName(), { groups: [groupName], config: fabric });
        } else if (!entry.groups.includes(groupName)) {
          entry.groups.push(groupName);
        }
      });
  }
  return [...byMsp.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([mspId, { groups, config: fabric }]) => ({
      mspId,
      groups,
      rootCerts: pem(fabric.getRootCertsList_asU8()),
      intermediateCerts: pem(fabric.getIntermediateCertsList_asU8()),
      tlsRootCerts: pem(fabric.getTlsRootCertsList_asU8()),
      tlsIntermediateCerts: pem(fabric.getTlsIntermediateCertsList_asU8()),
    }));
}

/** Config block bytes → the channel's certificate directory. */
export function channelOrgsFromBlock(blockBytes: Uint8Array): ChannelOrg[] {
  return channelOrgs(configFromBlock(blockBytes));
}
