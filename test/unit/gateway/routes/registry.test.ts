// The registry's paged lists with app.inject and a fake ledger: the paging arguments that reach the
// chaincode, each list's own page-size bound, and what is refused before Fabric.
import { describe } from 'node:test';
import { MAX_DER_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../../chaincode/src/api';
import { API_ROLES } from '../../../../gateway/src/core/roles';
import { FakeLedger, gatewayForGets, routeCaseTests } from '../../../support/route-harness';

describe('gateway/routes/registry', () => {
  const ledger = new FakeLedger({ txId: 'tx-registry-1' });
  const { get: send } = gatewayForGets('cvpp', 'CvppMSP', ledger);

  describe('GET /v1/vpps', () => {
    const page = { vpps: [{ vppId: 'vpp-a' }], bookmark: 'k-vpp-b' };
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: {
        kind: 'evaluate',
        contract: 'registry',
        tx: 'ListVpps',
        args: [String(MAX_PAGE_SIZE), 'k-vpp-a'],
      },
      answer: page,
      response: page,
      send: (role, malformed?: string) =>
        send(role, malformed ?? `/v1/vpps?pageSize=${MAX_PAGE_SIZE}&bookmark=k-vpp-a`),
      refused: [`/v1/vpps?pageSize=${MAX_PAGE_SIZE + 1}`, '/v1/vpps?pageSize=0', '/v1/vpps?all=true'],
    });
  });

  describe('GET /v1/vpps without paging arguments', () => {
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: { kind: 'evaluate', contract: 'registry', tx: 'ListVpps', args: ['100', ''] },
      answer: { vpps: [], bookmark: '' },
      response: { vpps: [], bookmark: '' },
      send: (role) => send(role, '/v1/vpps'),
    });
  });

  describe('GET /v1/vpps/:vppId/ders (DER records are large: a smaller bound)', () => {
    const page = { ders: [{ derId: 'pv-001' }], bookmark: '' };
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: {
        kind: 'evaluate',
        contract: 'registry',
        tx: 'ListDersByVpp',
        args: ['vpp-north', String(MAX_DER_PAGE_SIZE), ''],
      },
      answer: page,
      response: page,
      send: (role, malformed?: string) =>
        send(role, malformed ?? `/v1/vpps/vpp-north/ders?pageSize=${MAX_DER_PAGE_SIZE}`),
      refused: [`/v1/vpps/vpp-north/ders?pageSize=${MAX_DER_PAGE_SIZE + 1}`],
    });
  });
});
