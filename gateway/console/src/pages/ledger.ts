// Ledger (the regulator's view): the chain's height and head, any block with its transactions
// (type, creator, endorsers, validation code) and any transaction by id.
import { get, path } from '../api';
import { facts, h, loading, queryForm, section, table } from '../dom';
import { instant, int } from '../format';
import { param, type Page } from './page';

interface ChainInfo {
  channel: string;
  height: number;
  currentBlockHash: string;
}
interface Transaction {
  txId: string;
  type: string;
  timestamp?: string;
  creatorMspId: string;
  validationCode: string;
  endorsers: string[];
  chaincode?: string;
  blockNumber?: number;
}
interface Block {
  number: number;
  dataHash: string;
  previousHash: string;
  transactions: Transaction[];
}

/** How many of the newest blocks the chain section lists. */
const RECENT_BLOCKS = 5;

const txColumns = [
  {
    header: 'Transaction',
    cell: (t: Transaction) => h('a', { href: `#/ledger?tx=${t.txId}` }, h('code', {}, t.txId)),
  },
  { header: 'Type', cell: (t: Transaction) => t.type },
  { header: 'Time', cell: (t: Transaction) => (t.timestamp ? instant(t.timestamp) : '') },
  { header: 'Creator', cell: (t: Transaction) => t.creatorMspId },
  { header: 'Endorsers', cell: (t: Transaction) => t.endorsers.join(', ') },
  { header: 'Validation', cell: (t: Transaction) => t.validationCode },
];

export const ledgerPage: Page = {
  id: 'ledger',
  title: 'Ledger',
  requires: ['GET /v1/ledger/info', 'GET /v1/ledger/blocks/:number', 'GET /v1/ledger/transactions/:txId'],
  render(context) {
    const block = param(context, 'block');
    const tx = param(context, 'tx');
    return h(
      'div',
      {},
      h('h1', {}, 'Ledger'),
      section(
        'Chain',
        loading(async () => {
          const info = await get<ChainInfo>('/v1/ledger/info');
          const numbers: number[] = [];
          for (let n = info.height - 1; n >= Math.max(0, info.height - RECENT_BLOCKS); n--) numbers.push(n);
          const recent = await Promise.all(
            numbers.map((n) => get<Block>(path('/v1/ledger/blocks/:number', { number: String(n) }))),
          );
          return h(
            'div',
            {},
            facts([
              ['channel', 'Channel', info.channel],
              ['height', 'Height', int(info.height)],
              ['currentBlockHash', 'Head block hash', h('code', {}, info.currentBlockHash)],
            ]),
            table(
              'recent-blocks',
              `The last ${recent.length} blocks`,
              recent,
              [
                {
                  header: 'Block',
                  cell: (b) => h('a', { href: `#/ledger?block=${b.number}` }, String(b.number)),
                },
                { header: 'Transactions', cell: (b) => int(b.transactions.length), numeric: true },
                {
                  header: 'Creators',
                  cell: (b) => [...new Set(b.transactions.map((t) => t.creatorMspId))].join(', '),
                },
                { header: 'Data hash', cell: (b) => h('code', {}, b.dataHash) },
              ],
              (b) => String(b.number),
            ),
          );
        }),
      ),
      queryForm(
        [
          { name: 'block', label: 'Block number', value: block, placeholder: 'e.g. 12' },
          { name: 'tx', label: 'Transaction id', value: tx, placeholder: '64 hex digits' },
        ],
        (values) => context.navigate(values),
      ),
      block
        ? section(
            `Block ${block}`,
            loading(async () => {
              const b = await get<Block>(path('/v1/ledger/blocks/:number', { number: block }));
              return h(
                'div',
                {},
                facts([
                  ['number', 'Number', int(b.number)],
                  ['dataHash', 'Data hash', h('code', {}, b.dataHash)],
                  ['previousHash', 'Previous hash', h('code', {}, b.previousHash)],
                  ['transactions', 'Transactions', int(b.transactions.length)],
                ]),
                table(
                  'block-transactions',
                  `Transactions of block ${b.number}`,
                  b.transactions,
                  txColumns,
                  (t) => t.txId,
                ),
              );
            }),
          )
        : null,
      tx
        ? section(
            'Transaction',
            loading(async () => {
              const t = await get<Transaction>(path('/v1/ledger/transactions/:txId', { txId: tx }));
              return facts([
                ['txId', 'Id', h('code', {}, t.txId)],
                [
                  'blockNumber',
                  'Block',
                  t.blockNumber === undefined
                    ? ''
                    : h('a', { href: `#/ledger?block=${t.blockNumber}` }, String(t.blockNumber)),
                ],
                ['type', 'Type', t.type],
                ['chaincode', 'Chaincode', t.chaincode ?? ''],
                ['creatorMspId', 'Creator', t.creatorMspId],
                ['endorsers', 'Endorsers', t.endorsers.join(', ')],
                ['validationCode', 'Validation', t.validationCode],
              ]);
            }),
          )
        : null,
    );
  },
};
