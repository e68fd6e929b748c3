/**
 * What every command-line tool shares: bad input as a list of field issues (printed one per
 * line, exit code 2, never a stack trace), reading JSON files, a progress bar on a terminal,
 * and where a command writes: the process's streams when it runs as a program, or buffers when
 * a test calls its `main` in-process.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { FieldIssue } from '../core/schema.ts';

/** Where a command writes. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
  /** Whether `err` is a terminal: a progress bar is drawn only there. */
  readonly errIsTerminal: boolean;
}

export const PROCESS_OUTPUT: CommandOutput = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  errIsTerminal: process.stderr.isTTY === true,
};

/** A command: its arguments (after the script's name) in, an exit code out. */
export type CommandMain = (argv: string[], output: CommandOutput) => number | Promise<number>;

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
export function progressBar(label: string, output: CommandOutput): (fraction: number) => void {
  if (!output.errIsTerminal) return () => {};
  return (fraction) => {
    const width = 30;
    const filled = Math.round(fraction * width);
    output.err(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}%${fraction >= 1 ? '\n' : ''}`);
  };
}

/** Runs a command's main and turns what it throws into messages and an exit code. */
export async function runCommand(usage: string, main: CommandMain, argv: string[], output: CommandOutput = PROCESS_OUTPUT): Promise<number> {
  try {
    return await main(argv, output);
  } catch (e) {
    if (e instanceof InputError) {
      for (const issue of e.issues) output.err(`${issue.path}: ${issue.message}\n`);
      output.err(`${usage}\n`);
      return 2;
    }
    output.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

/**
 * Runs the command when its module is the program started (`tsx src/cli/simulate.ts …`), and
 * does nothing when a test imports it.
 */
export async function runIfProgram(moduleUrl: string, usage: string, main: CommandMain): Promise<void> {
  if (programUrl() !== moduleUrl) return;
  process.exitCode = await runCommand(usage, main, process.argv.slice(2));
}

/** The file:// address of the script the process was started with, or null (`node -e`, a script that is gone). */
function programUrl(): string | null {
  const script = process.argv[1];
  if (script === undefined) return null;
  try {
    return pathToFileURL(realpathSync(script)).href;
  } catch {
    return null;
  }
}
