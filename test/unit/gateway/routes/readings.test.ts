// The readings list routes with app.inject and a fake ledger: what reaches the chaincode (paging
// arguments included), what comes back, and what is refused before Fabric.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status, type ServiceError } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { MAX_PAGE_SIZE } from '../../../../chaincode/src/api';
import { API_ROLES } from '../../../../gateway/src/core/roles';
import { FakeLedger, gatewayForGets, routeCaseTests } from '../../../support/route-harness';

const VPP = 'vpp-north';
const INTERVAL = '2026-11-25T10:15:00.000Z';
const READING = { derId: 'pv-001', intervalId: INTERVAL, sequence: 0, energyWh: 1200, vppId: VPP };
const base = `/v1/vpps/${VPP}/readings?intervalId=${INTERVAL}`;

describe('gateway/routes/readings', () => {
  const ledger = new FakeLedger({ txId: 'tx-readings-1' });
  const { app, get: send } = gatewayForGets('cvpp', 'CvppMSP', ledger);

  describe('GET /v1/vpps/:vppId/readings with pageSize and bookmark', () => {
    const page = { readings: [READING], bookmark: '\u0000vpp.reading\u0000next\u0000' };
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: {
        kind: 'evaluate',
        contract: 'telemetry',
        tx: 'ListVppReadings',
        args: [VPP, INTERVAL, '250', 'prev-key'],
      },
      answer: page,
      response: page,
      send: (role, malformed?: string) => send(role, malformed ?? `${base}&pageSize=250&bookmark=prev-key`),
      refused: [
        `${base}&pageSize=0`,
        `${base}&pageSize=${MAX_PAGE_SIZE + 1}`,
        `${base}&pageSize=ten`,
        `${base}&bookmark=${'x'.repeat(1025)}`,
        `${base}&page=2`,
        `/v1/vpps/${VPP}/readings`,
      ],
    });
  });

  describe('GET /v1/vpps/:vppId/readings without paging arguments', () => {
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: {
        kind: 'evaluate',
        contract: 'telemetry',
        tx: 'ListVppReadings',
        args: [VPP, INTERVAL, '100', ''],
      },
      answer: { readings: [], bookmark: '' },
      response: { readings: [], bookmark: '' },
      send: (role) => send(role, base),
    });
  });

  it('should document the page size bounds and the default in OpenAPI', () => {
    const spec = app().swagger() as {
      paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }>;
    };
    const params = spec.paths['/v1/vpps/{vppId}/readings']!.get.parameters;
    const size = params.find((p) => p.name === 'pageSize');
    assert.deepEqual(
      [size?.schema.minimum, size?.schema.maximum, size?.schema.default],
      [1, MAX_PAGE_SIZE, 100],
    );
    assert.ok(params.some((p) => p.name === 'bookmark'));
  });

  it('should answer a result above the gRPC size limit with its stable 4xx code', async () => {
    // What the Fabric client throws when the peer's answer exceeds its 4 MiB receive limit.
    ledger.failure = new GatewayError({
      code: status.RESOURCE_EXHAUSTED,
      details: [],
      cause: new Error('grpc') as ServiceError,
      message: '8 RESOURCE_EXHAUSTED: Received message larger than max (10733123 vs 4194304)',
    });
    const res = await send('operator', `${base}&pageSize=${MAX_PAGE_SIZE}`);
    assert.equal(res.statusCode, 422);
    const body = res.json<{ error: { code: string; message: string } }>();
    assert.equal(body.error.code, 'RESULT_TOO_LARGE');
    assert.match(body.error.message, /smaller page/);
  });
});
