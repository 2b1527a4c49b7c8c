// Shared-data privacy on the real network: personal data in the private collection (hash on chain,
// written through the transient map), access by another org only under a consent grant and logged on
// chain, raw samples off chain under a Merkle root anchored with their readings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { intervalIdOf } from '../../../chaincode/src/domain/telemetry/reading';
import type { Device } from '../../../gateway/device-kit/device';
import { enrollDevice, postReadings } from '../../../gateway/device-kit/device-api';
import { newGateway, newPeerClient } from '../../../platform/src/fabric/connect';
import { httpRequest } from '../../../platform/src/http/http-client';
import { cryptoPaths, runPaths } from '../../../platform/src/paths';
import { connectAs, orgNamed, topology, type Connection } from '../../support/fabric-client';
import {
  blockOf,
  call,
  gatewayTarget,
  gatewayTrust,
  gatewayUrl,
  loginAdmin,
  marketCalendarNow,
  registerAndLogin,
  type RestUser,
} from '../../../platform/src/http/gateway-rest';

const stamp = Date.now().toString(36);
const VPP_ID = `vpp-priv-${stamp}`;
const DER_ID = `pv-priv-${stamp}`;
const OWNER_NAME = `Owner Marker ${stamp}`;
type ErrorBody = { error: { code: string; message: string } };

/** Trust in the consortium's gateways, presenting the TLS certificate of `org`'s `node` (mutual TLS). */
const clientOf = (org: string, node: 'gateway' | 'peer') => ({
  ...gatewayTrust(),
  cert: readFileSync(cryptoPaths.tls(org, node, 'server.crt')),
  key: readFileSync(cryptoPaths.tls(org, node, 'server.key')),
});
const tradingGatewayClient = () => clientOf('trading', 'gateway');
type Shared = { data: { name: string }; dataHash: string; onChainHash: string; access: { txId: string } };

describe('privacy: private collection, consent and off-chain samples (real network)', () => {
  let cvppOperator: RestUser;
  let tradingUser: RestUser;
  let regulatorUser: RestUser;
  let device: Device;
  const connections: Connection[] = [];
  const grantId = `g-${stamp}`;
  let ownerTxId = '';
  let ownerBlock: bigint | undefined;

  before(async () => {
    cvppOperator = await registerAndLogin('cvpp', await loginAdmin('cvpp'), `priv-op-${stamp}`, 'operator');
    tradingUser = await registerAndLogin(
      'trading',
      await loginAdmin('trading'),
      `priv-tr-${stamp}`,
      'trading',
    );
    regulatorUser = await registerAndLogin(
      'regulator',
      await loginAdmin('regulator'),
      `priv-rg-${stamp}`,
      'regulator',
    );
    const token = cvppOperator.token;
    assert.equal(
      (
        await call('cvpp', 'POST', '/v1/vpps', {
          token,
          body: { vppId: VPP_ID, displayName: 'P', feeBps: 100 },
        })
      ).status,
      201,
    );
    const registered = await call<{ secret: string }>('cvpp', 'POST', '/v1/devices', {
      token,
      body: { derId: DER_ID, vppId: VPP_ID },
    });
    device = await enrollDevice(gatewayTarget('cvpp'), DER_ID, registered.body.secret);
    const der = await call('cvpp', 'POST', '/v1/ders', {
      token,
      body: {
        derId: DER_ID,
        vppId: VPP_ID,
        derType: 'pv',
        capacityW: 8000,
        zone: 'z',
        certificatePem: device.credentials.certPem,
      },
    });
    assert.equal(der.status, 201, JSON.stringify(der.body));
    const put = await call<{ txId: string; record: { sha256: string } }>(
      'cvpp',
      'PUT',
      `/v1/ders/${DER_ID}/owner`,
      {
        token,
        body: { name: OWNER_NAME, address: '1 Solar Way, Sunville', contractId: `C-${stamp}` },
      },
    );
    assert.equal(put.status, 200, JSON.stringify(put.body));
    ownerTxId = put.body.txId;
    ownerBlock = blockOf(put);
    assert.notEqual(ownerBlock, undefined, 'the write names its block');
  });

  after(() => {
    for (const connection of connections) connection.close();
  });

  it('should give members the data and everyone else only its hash, with no personal data in the block', async () => {
    const own = await call<{ name: string; salt: string }>('cvpp', 'GET', `/v1/ders/${DER_ID}/owner`, {
      token: cvppOperator.token,
    });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.equal(own.body.name, OWNER_NAME);
    assert.match(own.body.salt, /^[0-9a-f]{64}$/);
    // Written through the CVPP's gateway: the other orgs' gateways are asked for its block.
    const regulator = await call<{ name: string }>('regulator', 'GET', `/v1/ders/${DER_ID}/owner`, {
      token: regulatorUser.token,
      minBlock: ownerBlock,
    });
    assert.equal(regulator.status, 200, JSON.stringify(regulator.body));
    assert.equal(regulator.body.name, OWNER_NAME, 'the regulator, a member, reads it on its own peer');
    const hashRecord = await call<{ sha256: string; txId: string }>(
      'trading',
      'GET',
      `/v1/ders/${DER_ID}/owner/hash`,
      { token: tradingUser.token, minBlock: ownerBlock },
    );
    assert.equal(hashRecord.status, 200, JSON.stringify(hashRecord.body));
    assert.match(hashRecord.body.sha256, /^[0-9a-f]{64}$/);
    const tx = await call('regulator', 'GET', `/v1/ledger/transactions/${ownerTxId}`, {
      token: regulatorUser.token,
      minBlock: ownerBlock,
    });
    assert.equal(tx.status, 200);
    assert.ok(!JSON.stringify(tx.body).includes(OWNER_NAME), 'the transaction carries no personal data');
  });

  it('should refuse another org the collection, and its peer should not hold the data', async () => {
    const trading = connectAs('trading', 'admin');
    connections.push(trading);
    await assert.rejects(
      trading.contract('privacy').evaluateTransaction('GetOwnerData', DER_ID),
      (err: Error & { details?: { message: string }[] }) =>
        JSON.stringify(err.details ?? err.message).includes('FORBIDDEN'),
    );
    // A CVPP admin (a member) asking the trading org's peer: that peer holds no copy.
    const msp = cryptoPaths.userMsp('cvpp', 'admin');
    const peer = orgNamed('trading').peer;
    const client = newPeerClient(
      `${peer.host}:${peer.port}`,
      readFileSync(cryptoPaths.tls('trading', 'peer', 'ca.crt')),
    );
    const gateway = newGateway(client, {
      mspId: 'CvppMSP',
      certPem: readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
      keyPem: readFileSync(path.join(msp, 'keystore', 'key.pem'), 'utf8'),
    });
    try {
      const contract = gateway
        .getNetwork(topology.channel.name)
        .getContract(topology.chaincode.name, 'privacy');
      await assert.rejects(
        contract.evaluateTransaction('GetOwnerData', DER_ID),
        (err: Error & { details?: { message: string }[] }) =>
          // The peer keeps the hash of every private value but, not being a member, never the value.
          /private data matching public hash version is not available/.test(err.message),
      );
    } finally {
      gateway.close();
      client.close();
    }
  });

  it('should refuse shared data without a grant with 403 and leak nothing', async () => {
    const res = await call<ErrorBody>('trading', 'GET', `/v1/shared/${grantId}`, {
      token: tradingUser.token,
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body.error, { code: 'FORBIDDEN', message: 'no valid grant' });
    // Straight to the holder: without a gateway client certificate nothing is looked at (401); as the
    // trading centre's gateway (mutual TLS), an unknown ticket is no valid grant.
    const direct = await call<ErrorBody>('cvpp', 'GET', `/v1/shared-data/${'0'.repeat(64)}`);
    assert.deepEqual([direct.status, direct.body.error.code], [401, 'CLIENT_CERT_REQUIRED']);
    const asGateway = await httpRequest(gatewayUrl('cvpp'), `/v1/shared-data/${'0'.repeat(64)}`, {
      timeoutMs: 30_000,
      tls: tradingGatewayClient(),
    });
    assert.deepEqual(
      [asGateway.status, JSON.parse(asGateway.text)],
      [403, { error: { code: 'FORBIDDEN', message: 'no valid grant' } }],
    );
    assert.ok(!JSON.stringify(direct.body).includes(OWNER_NAME));
  });

  it('should answer an unknown ticket 403 after one ledger lookup (no retries for a random id)', async () => {
    /** The holder's GetAccessTicket lookups so far, refused ones included (the evaluate histogram). */
    const ticketLookups = async () => {
      const res = await call<string>('cvpp', 'GET', '/metrics');
      const line = String(res.body)
        .split('\n')
        .find(
          (l) =>
            l.startsWith('vpp_gateway_fabric_evaluate_duration_seconds_count') &&
            l.includes('transaction="GetAccessTicket"'),
        );
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    const before = await ticketLookups();
    const ticket = Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    // As the trading centre's gateway (mutual TLS): without its certificate nothing is looked up.
    const res = await httpRequest(gatewayUrl('cvpp'), `/v1/shared-data/${ticket}`, {
      timeoutMs: 30_000,
      tls: tradingGatewayClient(),
    });
    assert.deepEqual(
      [res.status, JSON.parse(res.text)],
      [403, { error: { code: 'FORBIDDEN', message: 'no valid grant' } }],
    );
    assert.equal((await ticketLookups()) - before, 1);
  });

  it('should share the data under a grant, matching its hash on chain, log the access, and stop after revocation', async () => {
    const now = Date.now();
    const granted = await call('cvpp', 'POST', '/v1/consents', {
      token: cvppOperator.token,
      body: {
        grantId,
        dataSet: { kind: 'owner-data', derId: DER_ID },
        granteeMspId: 'TradingMSP',
        purpose: 'flexibility contract audit',
        validFrom: new Date(now - 60_000).toISOString(),
        validUntil: new Date(now + 86_400_000).toISOString(),
      },
    });
    assert.equal(granted.status, 201, JSON.stringify(granted.body));
    // Granted through the CVPP's gateway: the trading centre's is asked for the grant's block.
    const shared = await call<Shared>('trading', 'GET', `/v1/shared/${grantId}`, {
      token: tradingUser.token,
      minBlock: blockOf(granted),
    });
    assert.equal(shared.status, 200, JSON.stringify(shared.body));
    assert.equal(shared.body.data.name, OWNER_NAME);
    assert.equal(shared.body.dataHash, shared.body.onChainHash);
    // The access was recorded through the trading centre's gateway, which names its block.
    const accessBlock = blockOf(shared);
    assert.notEqual(accessBlock, undefined, 'the access names its block');
    // Straight to the holder with the same ticket: its shared-data route serves only the gateway of
    // the accessor's org over mutual TLS (no client certificate: 401; another org's gateway, or a
    // certificate of the right org that is not its gateway's: 403).
    const outcomes: [number, string][] = [];
    for (const tls of [
      gatewayTrust(),
      clientOf('control', 'gateway'),
      clientOf('trading', 'peer'),
      clientOf('trading', 'gateway'),
    ]) {
      const answer = await httpRequest(gatewayUrl('cvpp'), `/v1/shared-data/${shared.body.access.txId}`, {
        timeoutMs: 30_000,
        headers: { 'x-min-block': String(accessBlock) },
        tls,
      });
      const body = JSON.parse(answer.text) as Partial<ErrorBody>;
      outcomes.push([answer.status, body.error?.code ?? 'served']);
    }
    assert.deepEqual(outcomes, [
      [401, 'CLIENT_CERT_REQUIRED'],
      [403, 'FORBIDDEN'],
      [403, 'FORBIDDEN'],
      [200, 'served'],
    ]);
    const log = await call<{ accesses: { accessorMspId: string; txId: string }[]; bookmark: string }>(
      'cvpp',
      'GET',
      `/v1/consents/${grantId}/accesses`,
      { token: cvppOperator.token, minBlock: accessBlock },
    );
    assert.equal(log.status, 200, JSON.stringify(log.body));
    assert.deepEqual(
      [log.body.accesses.map((entry) => [entry.accessorMspId, entry.txId]), log.body.bookmark],
      [[['TradingMSP', shared.body.access.txId]], ''],
    );
    const revoked = await call('cvpp', 'POST', `/v1/consents/${grantId}/revoke`, {
      token: cvppOperator.token,
    });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const after = await call<ErrorBody>('trading', 'GET', `/v1/shared/${grantId}`, {
      token: tradingUser.token,
      minBlock: blockOf(revoked),
    });
    assert.equal(after.status, 403);
    assert.ok(!JSON.stringify(after.body).includes(OWNER_NAME));
  });

  it('should prove each raw sample against the root anchored with its readings, and fail a tampered one', async () => {
    // The metering interval that has just ended, on the grid of the calendar in force.
    const { meteringIntervalSeconds: seconds } = await marketCalendarNow('cvpp', cvppOperator.token);
    const intervalId = intervalIdOf(new Date(Date.now() - seconds * 1000).toISOString(), seconds);
    const reading = device.sign({
      intervalId,
      sequence: 0,
      energyWh: 6,
      timestamp: new Date().toISOString(),
    });
    // Three samples spread over the interval: 0, 300 and 600 s into a 15-minute one.
    const samples = [0, 1, 2]
      .map((i) => Math.floor((i * seconds) / 3))
      .map((offsetSeconds) => ({
        derId: DER_ID,
        intervalId,
        sequence: 0,
        offsetSeconds,
        energyWh: 2,
      }));
    const answer = await postReadings(gatewayTarget('cvpp'), [reading], samples);
    assert.equal(answer.results[0]?.status, 'accepted', JSON.stringify(answer.results));
    const ids = answer.results[0]?.sampleIds ?? [];
    assert.equal(ids.length, 3);
    const proof = await call<{ verified: boolean; anchor: { count: number } }>(
      'cvpp',
      'GET',
      `/v1/samples/${ids[1]}/proof`,
      {
        token: cvppOperator.token,
      },
    );
    assert.equal(proof.status, 200, JSON.stringify(proof.body));
    assert.deepEqual([proof.body.verified, proof.body.anchor.count], [true, 3]);
    const db = new DatabaseSync(path.join(runPaths.data('gateway.cvpp'), 'offchain.sqlite'));
    try {
      db.prepare('UPDATE samples SET energy_wh = energy_wh + 1 WHERE id = ?').run(ids[1]!);
    } finally {
      db.close();
    }
    const tampered = await call<{ verified: boolean }>('cvpp', 'GET', `/v1/samples/${ids[1]}/proof`, {
      token: cvppOperator.token,
    });
    assert.equal(tampered.body.verified, false);
    const untouched = await call<{ verified: boolean }>('cvpp', 'GET', `/v1/samples/${ids[0]}/proof`, {
      token: cvppOperator.token,
    });
    assert.equal(untouched.body.verified, true);
  });
});
