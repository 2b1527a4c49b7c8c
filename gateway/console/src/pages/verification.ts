// The recomputation check every org can run on a clearing or a settlement: its own peer recomputes
// the result from the inputs on the ledger and compares it with the stored one.
import { get } from '../api';
import { h, loading, verdict } from '../dom';

export function recomputation(url: string, subject: string, suffix = ''): HTMLElement {
  return loading(async () => {
    const check = await get<{ matches: boolean }>(url);
    return h(
      'p',
      { 'data-field': 'verification' },
      verdict(
        check.matches,
        'recomputed from the ledger: identical',
        `recomputation differs from the stored ${subject}`,
      ),
      suffix,
    );
  });
}
