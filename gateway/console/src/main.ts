// The console's shell: the login form, the navigation (only the pages whose routes the gateway's
// route table opens to this caller: GET /v1/auth/me/routes) and a hash router (#/<page>?<params>),
// so every view has a URL that can be bookmarked and shared.
import { currentSession, endSession, get, login, whenUnauthenticated, type Session } from './api';
import { failureNotice, h } from './dom';
import { creditPage } from './pages/credit';
import { fleetPage } from './pages/fleet';
import { ledgerPage } from './pages/ledger';
import { marketPage } from './pages/market';
import { networkPage } from './pages/network';
import type { Page, PageContext } from './pages/page';
import { privacyPage } from './pages/privacy';
import { settlementPage } from './pages/settlement';

const PAGES: readonly Page[] = [
  networkPage,
  marketPage,
  fleetPage,
  settlementPage,
  creditPage,
  privacyPage,
  ledgerPage,
];

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

let leaving: (() => void)[] = [];
let openRoutes = new Set<string>();

function loginView(reason?: string): void {
  byId('nav').hidden = true;
  byId('logout').hidden = true;
  byId('who').textContent = '';
  const form = h(
    'form',
    { class: 'login', 'aria-label': 'Log in' },
    h(
      'label',
      { for: 'login-id' },
      'Enrollment id',
      h('input', { id: 'login-id', name: 'enrollmentId', autocomplete: 'username', required: true }),
    ),
    h(
      'label',
      { for: 'login-secret' },
      'Secret',
      h('input', {
        id: 'login-secret',
        name: 'secret',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
      }),
    ),
    h('button', { type: 'submit' }, 'Log in'),
  );
  const status = h('div', { 'aria-live': 'assertive' });
  if (reason) status.append(h('p', { class: 'notice', role: 'alert' }, reason));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    login(String(data.get('enrollmentId') ?? ''), String(data.get('secret') ?? '')).then(
      () => void start(),
      (err: unknown) => status.replaceChildren(failureNotice(err)),
    );
  });
  byId('main').replaceChildren(h('h1', {}, 'Log in to this organisation’s gateway'), form, status);
  (form.querySelector('input') as HTMLInputElement).focus();
}

function parseHash(): { pageId: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [pageId = '', query = ''] = hash.split('?', 2);
  return { pageId, params: new URLSearchParams(query) };
}

function showPage(session: Session): void {
  for (const cleanup of leaving) cleanup();
  leaving = [];
  const { pageId, params } = parseHash();
  // A page hidden from the nav can still be opened by its URL: it then calls the API like any other
  // page and shows the gateway's refusal, which is what decides.
  const page = PAGES.find((p) => p.id === pageId) ?? PAGES.find((p) => visible(p)) ?? networkPage;
  for (const link of byId('nav').querySelectorAll('a')) {
    if (link.dataset.page === page.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const context: PageContext = {
    session,
    params,
    navigate: (values) => {
      const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();
      location.hash = `#/${page.id}${query ? `?${query}` : ''}`;
    },
    allowed: (route) => openRoutes.has(route),
    onLeave: (cleanup) => leaving.push(cleanup),
  };
  document.title = `${page.title} · VPP Ledger console`;
  const main = byId('main');
  try {
    main.replaceChildren(page.render(context));
  } catch (err) {
    main.replaceChildren(failureNotice(err));
  }
  // Which view the page shows (its sections may still be loading: they carry aria-busy until done).
  document.body.dataset.view = location.hash;
}

const visible = (page: Page): boolean => page.requires.every((route) => openRoutes.has(route));

async function start(): Promise<void> {
  const session = currentSession();
  if (session === undefined) return loginView();
  try {
    const { routes } = await get<{ routes: { method: string; url: string }[] }>('/v1/auth/me/routes');
    openRoutes = new Set(routes.map((r) => `${r.method} ${r.url}`));
  } catch (err) {
    byId('main').replaceChildren(failureNotice(err));
    return;
  }
  byId('org').textContent = session.mspId;
  byId('who').textContent = `${session.enrollmentId} (${session.role})`;
  byId('logout').hidden = false;
  const nav = byId('nav');
  nav.replaceChildren(
    ...PAGES.filter(visible).map((page) =>
      h('a', { href: `#/${page.id}`, 'data-page': page.id }, page.title),
    ),
  );
  nav.hidden = false;
  showPage(session);
}

window.addEventListener('hashchange', () => {
  const session = currentSession();
  if (session === undefined) loginView('Your session has ended: log in again.');
  else showPage(session);
});
whenUnauthenticated(() => loginView('The gateway no longer accepts your token: log in again.'));
document.addEventListener('DOMContentLoaded', () => {
  byId('logout').addEventListener('click', () => {
    endSession();
    for (const cleanup of leaving) cleanup();
    leaving = [];
    loginView();
  });
  void start();
});
