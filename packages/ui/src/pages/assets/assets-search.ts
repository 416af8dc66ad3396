/** The assets page's URL state: /assets?q=&page=N&uri=<selected asset>&events=N (its events' page). */
export interface AssetsSearch {
  q?: string;
  page?: number;
  uri?: string;
  events?: number;
}

export const ASSET_PAGE_SIZE = 25;
export const EVENT_PAGE_SIZE = 20;

const pageOf = (v: unknown): number | undefined => {
  const n = Number(v);
  return Number.isInteger(n) && n > 1 ? n : undefined;
};

export function parseAssetsSearch(raw: Record<string, unknown>): AssetsSearch {
  const out: AssetsSearch = {};
  if (typeof raw.q === 'string' && raw.q !== '') out.q = raw.q;
  if (typeof raw.uri === 'string' && raw.uri !== '') out.uri = raw.uri;
  const page = pageOf(raw.page);
  if (page) out.page = page;
  const events = pageOf(raw.events);
  if (events) out.events = events;
  return out;
}
