/** Where an alert goes, in a few words, for lists (CLI, API): never a secret (a webhook's origin, not its path or query). */
import type { AlertTarget } from '@updraft/sdk';

export function alertTargetText(t: AlertTarget): string {
  switch (t.kind) {
    case 'slack': return `slack ${t.channel} (${t.connId})`;
    case 'email': return `email ${t.to.join(',')} (${t.connId})`;
    case 'webhook': return t.connId === null ? `webhook ${t.url === null ? '' : new URL(t.url).origin}` : `webhook (${t.connId})`;
    default: return String((t as { kind?: unknown }).kind ?? 'unknown');
  }
}
