// Privacy: a consent (grant) with the accesses recorded under it, and a DER owner's data: its hash
// on chain for everyone, the data itself only where the gateway lets the caller read it.
import { allPages, get, path } from '../api';
import { facts, h, loading, queryForm, recordFacts, section, table } from '../dom';
import { instant } from '../format';
import { param, type Page } from './page';

interface Grant {
  grantId: string;
  granteeMspId: string;
  purpose: string;
  validFrom: string;
  validUntil: string;
  status: string;
}

interface Access {
  accessorMspId: string;
  txId: string;
  at: string;
}

export const privacyPage: Page = {
  id: 'privacy',
  title: 'Privacy',
  requires: ['GET /v1/consents/:grantId', 'GET /v1/consents/:grantId/accesses'],
  render(context) {
    const grantId = param(context, 'grant');
    const derId = param(context, 'der');
    const values = { grant: grantId, der: derId };
    return h(
      'div',
      {},
      h('h1', {}, 'Privacy'),
      section(
        'Consent and its access log',
        queryForm([{ name: 'grant', label: 'Grant id', value: grantId, placeholder: 'grant id' }], (v) =>
          context.navigate({ ...values, ...v }),
        ),
        grantId ? loading(() => grantView(grantId)) : null,
      ),
      section(
        'Owner data of a DER',
        queryForm([{ name: 'der', label: 'DER id', value: derId, placeholder: 'DER id' }], (v) =>
          context.navigate({ ...values, ...v }),
        ),
        derId ? loading(() => ownerHashView(derId)) : null,
        derId && context.allowed('GET /v1/ders/:derId/owner')
          ? loading(async () =>
              h(
                'div',
                {},
                h('h3', {}, 'Personal data (private collection, read on this org’s peer)'),
                recordFacts(await get<Record<string, unknown>>(path('/v1/ders/:derId/owner', { derId }))),
              ),
            )
          : null,
        derId && context.allowed('GET /v1/ders/:derId/consents') ? loading(() => consentsOfDer(derId)) : null,
      ),
    );
  },
};

async function grantView(grantId: string): Promise<Node> {
  const grant = await get<Record<string, unknown>>(path('/v1/consents/:grantId', { grantId }));
  const accesses = await allPages<Access>(path('/v1/consents/:grantId/accesses', { grantId }), 'accesses');
  return h(
    'div',
    {},
    recordFacts(grant),
    table(
      'accesses',
      'Accesses under this grant',
      accesses,
      [
        { header: 'Accessor', cell: (a) => a.accessorMspId },
        { header: 'Time', cell: (a) => instant(a.at) },
        { header: 'Transaction', cell: (a) => h('code', {}, a.txId) },
      ],
      (a) => a.txId,
    ),
  );
}

async function ownerHashView(derId: string): Promise<Node> {
  const hash = await get<Record<string, unknown>>(path('/v1/ders/:derId/owner/hash', { derId }));
  return h(
    'div',
    {},
    h('h3', {}, 'On chain (hash only)'),
    facts(Object.entries(hash).map(([k, v]) => [k, k, String(v)])),
  );
}

/** The consents granted on the DER's data (its operator and the regulator may list them). */
async function consentsOfDer(derId: string): Promise<Node> {
  const grants = await allPages<Grant>(path('/v1/ders/:derId/consents', { derId }), 'grants');
  return table(
    'der-consents',
    `Consents granted on ${derId}'s data`,
    grants,
    [
      {
        header: 'Grant',
        cell: (g) =>
          h(
            'a',
            { href: `#/privacy?grant=${encodeURIComponent(g.grantId)}&der=${encodeURIComponent(derId)}` },
            g.grantId,
          ),
      },
      { header: 'Grantee', cell: (g) => g.granteeMspId },
      { header: 'Purpose', cell: (g) => g.purpose },
      { header: 'Valid', cell: (g) => `${instant(g.validFrom)} – ${instant(g.validUntil)}` },
      { header: 'Status', cell: (g) => g.status },
    ],
    (g) => g.grantId,
  );
}
