// The console's only way to the ledger: this gateway's REST API, same origin, with the bearer token
// of the person logged in. Every refusal arrives as the API's `{ error: { code, message } }`.

const TOKEN_KEY = 'vpp-console-session';

export interface Session {
  readonly token: string;
  readonly enrollmentId: string;
  readonly role: string;
  readonly mspId: string;
  readonly expiresAt: string;
}

/** A refusal or failure of the API, with its status and stable code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The session of this browser tab (sessionStorage: gone when the tab closes), if still valid. */
export function currentSession(): Session | undefined {
  const raw = sessionStorage.getItem(TOKEN_KEY);
  if (raw === null) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (Date.parse(session.expiresAt) > Date.now()) return session;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(TOKEN_KEY);
  return undefined;
}

export function endSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function failureOf(res: Response): Promise<ApiFailure> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return new ApiFailure(
    res.status,
    typeof error?.code === 'string' ? error.code : `HTTP_${res.status}`,
    typeof error?.message === 'string' ? error.message : res.statusText,
  );
}

export async function login(enrollmentId: string, secret: string): Promise<Session> {
  const res = await fetch('/v1/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentId, secret }),
  });
  if (!res.ok) throw await failureOf(res);
  const body = (await res.json()) as Session;
  const session: Session = {
    token: body.token,
    enrollmentId: body.enrollmentId,
    role: body.role,
    mspId: body.mspId,
    expiresAt: body.expiresAt,
  };
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(session));
  return session;
}

/** Called when the gateway no longer takes the token (expired, revoked): back to the login form. */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

function authorised(init: RequestInit = {}): RequestInit {
  const session = currentSession();
  if (session === undefined) throw new ApiFailure(401, 'UNAUTHENTICATED', 'log in first');
  return { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${session.token}` } };
}

/** GET a JSON resource of this gateway as the logged-in user. */
export async function get<T>(url: string): Promise<T> {
  const res = await fetch(url, authorised());
  if (res.status === 401) {
    endSession();
    onUnauthenticated();
  }
  if (!res.ok) throw await failureOf(res);
  return (await res.json()) as T;
}

const PAGE_SIZE = 200;

/** Every item of a paged list route (`{ <key>: [...], bookmark }`, '' after the last page). */
export async function allPages<T>(url: string, key: string): Promise<T[]> {
  const items: T[] = [];
  let bookmark = '';
  do {
    const separator = url.includes('?') ? '&' : '?';
    const next = bookmark ? `&bookmark=${encodeURIComponent(bookmark)}` : '';
    const page = await get<Record<string, unknown>>(`${url}${separator}pageSize=${PAGE_SIZE}${next}`);
    items.push(...(page[key] as T[]));
    bookmark = String(page.bookmark ?? '');
  } while (bookmark !== '');
  return items;
}

/** The URL with each `:name` replaced by its encoded value. */
export function path(template: string, values: Record<string, string>): string {
  return template.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/**
 * The chaincode events from `startBlock` on, then as they commit (GET /v1/events is Server-Sent
 * Events; EventSource cannot send a bearer token, so the stream is read with fetch). Returns a
 * function that stops it.
 */
export function followEvents(
  startBlock: number,
  onEvent: (event: { id: string; name: string; data: unknown }) => void,
): () => void {
  const abort = new AbortController();
  void (async () => {
    const res = await fetch(`/v1/events?startBlock=${startBlock}`, authorised({ signal: abort.signal }));
    if (!res.ok || res.body === null) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of message.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const key = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, '');
          const earlier = fields.get(key);
          fields.set(key, earlier === undefined ? value : `${earlier}\n${value}`);
        }
        const data = fields.get('data');
        if (data === undefined) continue;
        let parsed: unknown = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          // Not JSON: shown as text.
        }
        onEvent({ id: fields.get('id') ?? '', name: fields.get('event') ?? 'message', data: parsed });
      }
    }
  })().catch(() => undefined);
  return () => abort.abort();
}
