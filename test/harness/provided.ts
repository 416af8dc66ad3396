/** Values the global setup hands to test files through vitest's provide()/inject(). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the `postgres` database on the shared test server (superuser, trust auth). */
    updraftPgUrl: string;
  }
}

/** Env var with the same URL, for code that runs outside vitest's inject (child processes). */
export const SHARED_PG_URL_ENV = 'UPDRAFT_TEST_PG_URL';
/** The migrated database every test database is cloned from. */
export const TEMPLATE_DATABASE = 'updraft_template';
