import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isRedlineError } from '../pipeline/errors.ts';
import { EXIT } from './exit-codes.ts';

/**
 * Each file in bin/commands/ exports `register(program)` and adds its own sub-commands, so areas
 * of the code base own their commands without touching this file.
 */
export interface CommandModule {
  register(program: Command): void;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('redline')
    .description('redline: a security pipeline for AI inference traffic')
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Exit codes:
  ${EXIT.ok}  success
  ${EXIT.failure}  the command failed (the message says which step and why)
  ${EXIT.usage}  bad usage or bad input (unknown flag, invalid request or config)
  ${EXIT.rejected}  submit --wait / check: the request was rejected (the code is printed)
  ${EXIT.timeout}  timed out waiting for a result`,
    );
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as CommandModule;
    mod.register(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (isRedlineError(err)) {
      console.error(`redline: ${err.code}: ${err.message}`);
      process.exitCode =
        err.code.startsWith('CONFIG') || err.code === 'INVALID_REQUEST' ? EXIT.usage : EXIT.failure;
      return;
    }
    console.error(`redline: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = EXIT.failure;
  }
}
