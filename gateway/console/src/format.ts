// How figures are written on every page: integers as the ledger keeps them (Wh, W, minor currency
// units), grouped by thousands in en-US style, with the unit; instants in UTC as the ledger stores them.
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const int = (value: number): string => grouped.format(value);
export const wh = (value: number): string => `${int(value)} Wh`;
export const watts = (value: number): string => `${int(value)} W`;
/** Minor currency units (the ledger's money). */
export const minor = (value: number): string => `${int(value)} minor`;
/** A clearing or offer price: minor units per MWh. */
export const price = (value: number | null): string =>
  value === null ? 'no trade' : `${int(value)} minor/MWh`;
export const instant = (iso: string): string => iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
export const short = (hex: string): string => (hex.length > 16 ? `${hex.slice(0, 12)}…` : hex);
