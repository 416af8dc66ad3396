/**
 * The one place the UI talks HTTP: same-origin requests with the session cookie, problem
 * documents (RFC 7807) turned into ApiError, 401 turned into a trip to the login page.
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

export async function getJson<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...init });
  if (!res.ok) throw await errorFrom(res);
  return (await res.json()) as T;
}

/** A mutation with a JSON body (PATCH/POST/DELETE). */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!res.ok) throw await errorFrom(res);
  return res.status === 204 ? (undefined as T) : ((await res.json()) as T);
}
