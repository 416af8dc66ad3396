/**
 * @updraft/webserver: the REST API (Airflow 2-shaped /api/v1) and the web UI's server.
 */
export { buildApp, DEFAULT_BODY_LIMIT, type AppOptions } from './app.js';
export { startWebserver, type RunningWebserver, type WebserverOptions } from './server.js';
export type { Authenticator } from './auth/authenticate.js';
export type { Api, RouteContext } from './api-types.js';
export { renderOpenApiDocument } from './openapi-document.js';
export { slackSignature, verifySlackSignature, SLACK_MAX_AGE_SECONDS } from './integrations/slack-signature.js';
