/** /login?redirect=/dags/etl: where to go after logging in; only a path of this app is followed. */
export interface LoginSearch {
  redirect?: string;
}

export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (value.startsWith('/login')) return undefined;
  return value;
}

export function parseLoginSearch(search: Record<string, unknown>): LoginSearch {
  const redirect = safeRedirect(search.redirect);
  return redirect === undefined ? {} : { redirect };
}
