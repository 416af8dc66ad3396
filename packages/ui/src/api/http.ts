/**
 * The one place the UI talks HTTP: same-origin requests with the session cookie, marked as the
 * UI's own (`X-Requested-With: updraft-ui`: the webserver then answers 401 without a browser
 * password prompt), mutations carrying the session's CSRF token (`X-CSRF-Token`, from the
 * `updraft_csrf` cookie), problem documents (RFC 7807) turned into ApiError, and 401 turned into
 * a trip to the login page.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The session's CSRF token (the webserver sets the cookie at login), or undefined. */
export function csrfToken(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === 'updraft_csrf') return rest.join('=') || undefined;
  }
  return undefined;
}

/** Headers every API request of the UI carries (the CSRF token on mutations). */
export function uiHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-requested-with': 'updraft-ui' };
  const token = MUTATIONS.has(method.toUpperCase()) ? csrfToken() : undefined;
  if (token !== undefined) headers['x-csrf-token'] = token;
  return headers;
}

let onUnauthorized: (() => void) | undefined;

/** What to do when the API says the session is gone (main.tsx: go to the login page). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Called with every answer: a 401 (outside the login call itself) sends the user to log in. */
export function noticeStatus(status: number, url: string): void {
  if (status === 401 && !url.includes('/api/v1/auth/')) onUnauthorized?.();
}

/** Reads an error body: a problem document's `detail`/`title`, else the status text. */
export async function errorFrom(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const b = (body ?? {}) as { detail?: unknown; title?: unknown; error?: unknown };
  const text = [b.detail, b.title, b.error].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  return new ApiError(res.status, text ?? `${res.status} ${res.statusText}`, body);
}

/**
 * The page's origin, without the user:password its address may carry (a bookmark): fetch and
 * EventSource refuse every URL resolved against such an address ("includes credentials").
 */
export const ORIGIN = typeof location === 'undefined' ? '' : location.origin;

/** `path` on the page's origin (see ORIGIN). */
export function atOrigin(path: string): string {
  return ORIGIN + path;
}

/** fetch() with the UI's headers and the 401 handling. */
export async function uiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = init.method ?? 'GET';
  const res = await fetch(atOrigin(path), { credentials: 'same-origin', ...init, headers: { ...uiHeaders(method), ...(init.headers as Record<string, string> | undefined) } });
  noticeStatus(res.status, path);
  return res;
}

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await uiFetch(path, { ...init, headers: { accept: 'application/json', ...(init?.headers as Record<string, string> | undefined) } });
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

/** A mutation with a JSON body (PATCH/POST/DELETE). */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await uiFetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  if (!res.ok) throw await errorFrom(res);
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}
