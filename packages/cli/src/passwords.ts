/**
 * Where the CLI gets a password: `--password`, `--password-stdin` (the first line of standard
 * input, for scripts: the password stays out of the process list and shell history), or a prompt
 * on a terminal (not echoed, asked twice).
 */
import { createInterface } from 'node:readline';
import { checkPassword, UpdraftError } from '@updraft/core';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

async function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let asked = false;
  out._writeToOutput = (s: string) => {
    // Echo the question once, then nothing of what is typed.
    if (!asked) {
      asked = true;
      process.stdout.write(s);
    }
  };
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

export async function passwordFrom(o: { password?: string; passwordStdin?: boolean }): Promise<string> {
  if (o.password !== undefined && o.passwordStdin) throw new UpdraftError('INVALID_ARGUMENT', '--password and --password-stdin exclude each other');
  if (o.password !== undefined) return checkPassword(o.password, '--password');
  if (o.passwordStdin) return checkPassword(await readStdinLine(), 'the password read from standard input');
  if (!process.stdin.isTTY) throw new UpdraftError('INVALID_ARGUMENT', 'no password: pass --password, or --password-stdin and write it to standard input');
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Repeat for confirmation: ');
  if (first !== again) throw new UpdraftError('INVALID_ARGUMENT', 'the passwords do not match');
  return checkPassword(first);
}
