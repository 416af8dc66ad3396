/**
 * Killing a task's whole process tree. Every task process is started detached, so it leads its
 * own process group and its children (and their children) inherit that group: signalling -pgid
 * reaches all of them, including a grandchild `sleep`.
 */

/** Sends `signal` to process group `pgid`; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/**
 * SIGTERM to the group, then SIGKILL once `graceMs` passes if the leader has not exited by then.
 * After the leader exits, the group gets SIGKILL too, so nothing of the tree survives the task.
 * Resolves when the leader has exited.
 */
export async function terminateGroup(pgid: number, leaderExited: Promise<unknown>, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  let timer: NodeJS.Timeout | undefined;
  const escalated = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(pgid, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([leaderExited, escalated]);
  clearTimeout(timer);
  await leaderExited;
  signalGroup(pgid, 'SIGKILL');
}
