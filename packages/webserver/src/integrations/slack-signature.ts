/**
 * Slack's request signing (v0): `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw
 * body>" keyed with the app's signing secret>` and `X-Slack-Request-Timestamp` (Unix seconds). A
 * request older or newer than five minutes is refused, so a captured request cannot be replayed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type SlackSignatureCheck = { ok: true } | { ok: false; reason: string };

export function slackSignature(secret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Whether a request is Slack's: its signature matches and its timestamp is within five minutes of `nowSeconds`. */
export function verifySlackSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  rawBody: string,
  nowSeconds: number,
): SlackSignatureCheck {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'header X-Slack-Request-Timestamp is missing or not a number of seconds' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) {
    return { ok: false, reason: 'header X-Slack-Request-Timestamp is more than 5 minutes away from now (a replayed or delayed request)' };
  }
  if (signature === undefined || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'header X-Slack-Signature is missing or not v0=<64 hex digits>' };
  const expected = Buffer.from(slackSignature(secret, timestamp, rawBody));
  if (!timingSafeEqual(expected, Buffer.from(signature))) return { ok: false, reason: 'header X-Slack-Signature does not match the body (wrong signing secret, or a changed body)' };
  return { ok: true };
}
