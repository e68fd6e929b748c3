/**
 * What every command-line tool shares: bad input as a list of field issues (printed one per
 * line, exit code 2, never a stack trace), reading JSON files, and a progress bar on a terminal.
 */
import { readFileSync } from 'node:fs';
import type { FieldIssue } from '../core/schema.ts';

export class InputError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('bad input');
  }
}

/** Parses a JSON file; a missing, unreadable or malformed file is an InputError naming it. */
export function readJsonFile(file: string, missing = 'no such file'): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([{ path: file, message: code === 'ENOENT' ? missing : `cannot be read (${code ?? 'error'})` }]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError([{ path: file, message: `is not valid JSON: ${(e as Error).message}` }]);
  }
}

/** A progress bar on stderr, drawn only when stderr is a terminal. */
export function progressBar(label: string): (fraction: number) => void {
  if (!process.stderr.isTTY) return () => {};
  return (fraction) => {
    const width = 30;
    const filled = Math.round(fraction * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}%${fraction >= 1 ? '\n' : ''}`);
  };
}

/** Runs a command's main and turns what it throws into messages and an exit code. */
export async function runCommand(usage: string, main: () => number | Promise<number>): Promise<number> {
  try {
    return await main();
  } catch (e) {
    if (e instanceof InputError) {
      for (const issue of e.issues) process.stderr.write(`${issue.path}: ${issue.message}\n`);
      process.stderr.write(`${usage}\n`);
      return 2;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}
