/** Helpers for database URLs that appear in messages and logs. */

/** The URL with its password replaced by `***`, safe to print. Unparseable input is hidden whole. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database url>';
  }
}
