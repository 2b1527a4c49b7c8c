// Field rules: the one home of every check on a field of client input or of a stored record (ids by
// kind, integers, instants, units, hex, text, lists and object shapes). Pure, so domain modules,
// key builders and clients share them.

export * from './objects';
export * from './ids';
export * from './integers';
export * from './instants';
export * from './units';
export * from './hex';
export * from './text';
export * from './lists';
