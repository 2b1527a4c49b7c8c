// Small DOM builders: the console renders with these and nothing else, so every value reaches the
// page as text (never as HTML) and every table and fact list has the same accessible structure.
import { ApiFailure } from './api';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A column of a table: its header, how to show a row's cell, and whether it holds figures. */
export interface Column<Row> {
  readonly header: string;
  readonly cell: (row: Row) => Child;
  readonly numeric?: boolean;
}

/** A table with a caption, one row per item (`data-key` = the item's key), or a line saying none. */
export function table<Row>(
  name: string,
  caption: string,
  rows: readonly Row[],
  columns: readonly Column<Row>[],
  keyOf?: (row: Row) => string,
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-table': name }, `${caption}: none.`);
  return h(
    'table',
    { 'data-table': name },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c.header)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-key': keyOf?.(row) },
          ...columns.map((c) => h('td', c.numeric ? { class: 'num' } : {}, c.cell(row))),
        ),
      ),
    ),
  );
}

/** A list of named facts (`data-field` = the name), e.g. a clearing's price and totals. */
export function facts(entries: readonly [field: string, label: string, value: Child][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...entries.flatMap(([field, label, value]) => [
      h('dt', {}, label),
      h('dd', { 'data-field': field }, value),
    ]),
  );
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

/** A failure as the user should read it: the API's status and code, and its message. */
export function failureNotice(err: unknown): HTMLElement {
  const text =
    err instanceof ApiFailure
      ? `${err.status} ${err.code}: ${err.message}`
      : `The console failed: ${err instanceof Error ? err.message : String(err)}`;
  return h(
    'p',
    { class: 'notice', role: 'alert', 'data-error': err instanceof ApiFailure ? err.code : 'CONSOLE' },
    text,
  );
}

/** Renders what `load` builds, or the failure in its place; the section is shown at once. */
export function loading(load: () => Promise<Node>): HTMLElement {
  const slot = h('div', { 'aria-busy': 'true' }, h('p', { class: 'empty' }, 'Loading…'));
  load()
    .then(
      (node) => slot.replaceChildren(node),
      (err: unknown) => slot.replaceChildren(failureNotice(err)),
    )
    .finally(() => slot.setAttribute('aria-busy', 'false'));
  return slot;
}

/** A form of text fields that, on submit, calls `go` with the values (the page puts them in the URL). */
export function queryForm(
  fields: readonly {
    name: string;
    label: string;
    value: string;
    placeholder?: string;
    options?: readonly string[];
  }[],
  go: (values: Record<string, string>) => void,
  submitLabel = 'Show',
): HTMLFormElement {
  const form = h('form', { class: 'query' });
  for (const field of fields) {
    const id = `field-${field.name}`;
    const control = field.options
      ? h(
          'select',
          { id, name: field.name },
          ...field.options.map((o) => h('option', { value: o, selected: o === field.value }, o)),
        )
      : h('input', {
          id,
          name: field.name,
          value: field.value,
          placeholder: field.placeholder,
          autocomplete: 'off',
        });
    form.append(h('label', { for: id }, field.label, control));
  }
  form.append(h('button', { type: 'submit' }, submitLabel));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    go(Object.fromEntries(fields.map((f) => [f.name, String(data.get(f.name) ?? '').trim()])));
  });
  return form;
}

export function verdict(matches: boolean, yes: string, no: string): HTMLElement {
  return h(
    'span',
    { class: matches ? 'ok' : 'fail', 'data-verdict': matches ? 'match' : 'mismatch' },
    matches ? `✔ ${yes}` : `✘ ${no}`,
  );
}

/** A ledger record whose shape the page does not interpret: every field, nested ones as JSON. */
export function recordFacts(record: Record<string, unknown>): HTMLElement {
  return facts(
    Object.keys(record)
      .sort()
      .map((key): [string, string, Child] => {
        const value = record[key];
        return [
          key,
          key,
          typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
        ];
      }),
  );
}
