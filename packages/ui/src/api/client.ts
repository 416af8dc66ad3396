/**
 * The typed API client: openapi-fetch over the types generated from docs/openapi.json
 * (./schema.ts, `npm run ui:client`). `ok()` turns an answer into its data or an ApiError.
 */
import createClient from 'openapi-fetch';
import { ApiError, noticeStatus, ORIGIN, uiHeaders } from './http.js';
import type { paths } from './schema.js';

export const api = createClient<paths>({ baseUrl: ORIGIN, credentials: 'same-origin' });

// The UI's headers (CSRF token on mutations) on every request; a 401 goes to the login page.
api.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(uiHeaders(request.method))) request.headers.set(name, value);
    return request;
  },
  onResponse({ response, request }) {
    noticeStatus(response.status, new URL(request.url).pathname);
    return response;
  },
});

/** The JSON body of a path's 200 answer. */
export type Ok<P extends keyof paths, M extends 'get' | 'post' | 'patch' = 'get'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export async function ok<T>(answer: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await answer;
  if (response.ok && data !== undefined) return data;
  const e = (error ?? {}) as { detail?: unknown; title?: unknown };
  const text = [e.detail, e.title].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  throw new ApiError(response.status, text ?? `${response.status} ${response.statusText}`, error);
}
