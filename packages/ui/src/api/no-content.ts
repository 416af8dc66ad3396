// For answers without a body (204 on delete): resolves when the request succeeded, else throws
// the API's error (its problem document's detail) like ok() does.
import { ok } from './client.js';

export async function noContent(answer: Promise<{ error?: unknown; response: Response }>): Promise<void> {
  const a = await answer;
  if (a.response.ok) return;
  await ok(Promise.resolve({ ...a, data: undefined }));
}
