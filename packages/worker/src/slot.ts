/**
 * One slot of the pull loop: runs the delivered attempt, then each downstream task the report's
 * answer hands to this worker (the chain fast path: already claimed for it), in the same slot.
 */
import type { Delivery, proto } from '@updraft/core';
import { Attempt, handedOffDelivery, type AttemptDeps } from './attempt.js';

export interface SlotHost {
  /** The attempts running on this worker (a slot adds its own while it runs). */
  attempts: Set<Attempt>;
  /** An attempt's result was settled (reported, or discarded as stale). */
  processed(): void;
}

/** True when an attempt with this token is running on the worker. */
function runs(attempts: Iterable<Attempt>, token: string | undefined): boolean {
  for (const a of attempts) if (a.message.attemptToken === token) return true;
  return false;
}

export async function runSlot(first: Delivery, deps: AttemptDeps, host: SlotHost): Promise<void> {
  let delivery: Delivery | undefined = first;
  let claimed: proto.ClaimTaskResponse | undefined;
  while (delivery !== undefined) {
    const attempt: Attempt = new Attempt(delivery, deps);
    host.attempts.add(attempt);
    try {
      const end = await attempt.run(claimed);
      if (end === 'reported' || end === 'discarded') host.processed();
    } finally {
      host.attempts.delete(attempt);
    }
    const next: proto.HandedOffTask | undefined = attempt.handedOff;
    // A retried report gets its lost answer again; an attempt already running here is not run twice.
    delivery = next === undefined || runs(host.attempts, next.message?.attemptToken) ? undefined : handedOffDelivery(next);
    claimed = next?.claim;
  }
}
