// The privacy routes' paged lists (a DER's consents, a grant's access log) with app.inject and a fake ledger: the paging arguments that
// reach the chaincode and what is refused before Fabric.
import { describe } from 'node:test';
import { MAX_PAGE_SIZE } from '../../../../chaincode/src/api';
import { API_ROLES } from '../../../../gateway/src/core/roles';
import { FakeLedger, gatewayForGets, routeCaseTests } from '../../../support/route-harness';

describe('gateway/routes/privacy', () => {
  const ledger = new FakeLedger({ txId: 'tx-privacy-1' });
  const { get: send } = gatewayForGets('cvpp', 'CvppMSP', ledger);

  describe('GET /v1/ders/:derId/consents', () => {
    const page = { grants: [{ grantId: 'g-1', granteeMspId: 'TradingMSP' }], bookmark: 'k-next' };
    routeCaseTests({
      ledger,
      // The owner's operator and the regulator (the chaincode's ListGrantsOfDer checks the MSP again).
      roles: ['operator', 'admin', 'regulator'],
      status: 200,
      call: { kind: 'evaluate', contract: 'privacy', tx: 'ListGrantsOfDer', args: ['pv-1', '20', 'k-prev'] },
      answer: page,
      response: page,
      send: (role, malformed?: string) =>
        send(role, malformed ?? '/v1/ders/pv-1/consents?pageSize=20&bookmark=k-prev'),
      refused: [
        `/v1/ders/pv-1/consents?pageSize=${MAX_PAGE_SIZE + 1}`,
        '/v1/ders/pv-1/consents?pageSize=0',
        '/v1/ders/pv-1/consents?status=active',
      ],
    });
  });

  describe('GET /v1/consents/:grantId/accesses', () => {
    const page = { accesses: [{ grantId: 'g-1', txId: 'tx-a' }], bookmark: 'k-next' };
    routeCaseTests({
      ledger,
      roles: API_ROLES,
      status: 200,
      call: { kind: 'evaluate', contract: 'privacy', tx: 'ListAccessLog', args: ['g-1', '20', 'k-prev'] },
      answer: page,
      response: page,
      send: (role, malformed?: string) =>
        send(role, malformed ?? '/v1/consents/g-1/accesses?pageSize=20&bookmark=k-prev'),
      refused: [
        `/v1/consents/g-1/accesses?pageSize=${MAX_PAGE_SIZE + 1}`,
        '/v1/consents/g-1/accesses?pageSize=-1',
        '/v1/consents/g-1/accesses?since=1',
      ],
    });
  });
});
