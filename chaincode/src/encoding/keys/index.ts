// Every ledger key, built purely: the object types (object-types.ts, all in one file so that no two
// kinds of record can collide), Fabric's composite-key encoding (composite-key.ts) and the key layout
// of each step of the process.

export * from './object-types';
export * from './composite-key';
export * from './registry-keys';
export * from './market-keys';
export * from './credit-keys';
export * from './settlement-keys';
export * from './privacy-keys';
export * from './proof-keys';
