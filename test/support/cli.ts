/**
 * Runs a command-line tool's `main` in this process, as the program would run it (the same
 * messages and exit codes through `runCommand`), with its output kept: no process per case.
 * test/cli/programs.test.ts starts the real programs once each.
 */
import { type CommandMain, runCommand } from '../../src/cli/common.ts';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(usage: string, main: CommandMain, args: readonly string[]): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const output = { out: (t: string) => { stdout += t; }, err: (t: string) => { stderr += t; }, errIsTerminal: false };
  const code = await runCommand(usage, main, [...args], output);
  return { code, stdout, stderr };
}
