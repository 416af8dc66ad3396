/**
 * The test harness: real servers for integration tests.
 *   startPostgres() / startNats()  - own throwaway servers (stop, kill, restart)
 *   createTestDatabase()           - a migrated database on the shared server of the run
 *   runCli(args)                   - the `updraft` command as a child process
 *   freePort()                     - a free TCP port on 127.0.0.1
 *   launchBrowser()                - headless Debian Chromium (playwright-core) for the web UI
 *   startS3()                      - an S3-compatible server (s3rver) with its buckets
 */
import './provided.js';

export { freePort } from './ports.js';
export { isAlive } from './cleanup.js';
export { createGitRemote, git, type GitRemote } from './git-repo.js';
export { startPostgres, PG_BIN, type PostgresServer, type StartPostgresOptions } from './postgres.js';
export { startNats, NATS_SERVER_BIN, type NatsServer, type StartNatsOptions } from './nats.js';
export { createTestDatabase, withDatabase, type TestDatabase, type TestDatabaseOptions } from './test-database.js';
export { runCli, collectResult, CLI_ENTRY, REPO_ROOT, type CliResult, type RunCliOptions } from './cli.js';
export { startS3, S3_ACCESS_KEY, S3_SECRET_KEY, type S3Server } from './s3.js';
export { launchBrowser, logInBrowser, saveScreenshot, CHROMIUM_BIN, CHROMIUM_FLAGS, SCREENSHOT_DIR, type TestBrowser, type TestBrowserOptions } from './browser.js';
