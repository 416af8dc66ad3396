/**
 * Asking before a change that cannot be undone (`tasks clear`, `dags delete`): a yes/no question on
 * the terminal; with no terminal to ask on, the command refuses and says to pass --yes.
 */
import { createInterface } from 'node:readline/promises';
import { UpdraftError } from '@updraft/core';

/** True when the person answered y or yes. `refusal` names what is not done without a terminal (e.g. 'not clearing'). */
export async function confirm(question: string, refusal: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new UpdraftError('INVALID_ARGUMENT', `${refusal} without confirmation: pass --yes (no terminal to ask on)`);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
