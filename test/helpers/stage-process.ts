import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { configEnv } from './kafka.ts';

export interface StageProcess {
  child: ChildProcess;
  metricsUrl: string;
  /** Messages this process consumed so far, read from its /metrics endpoint. */
  consumed(): Promise<number>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts the pass-through stage fixture as a child process and waits until it has joined its group. */
export async function spawnPassthrough(
  config: RedlineConfig,
  name: string,
  input: string,
  output: string,
  env: Record<string, string> = {},
): Promise<StageProcess> {
  const child = spawn(
    process.execPath,
    ['bin/run-ts.js', 'test/integration/fixtures/passthrough-process.ts', name, input, output],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...configEnv(config), REDLINE_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        clearTimeout(timer);
        resolve(line.slice(6).trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited early with ${code}`)));
  });
  return {
    child,
    metricsUrl,
    async consumed() {
      const text = await (await fetch(`${metricsUrl}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('redline_stage_messages_in_total{'));
      return line ? Number(line.split(' ').pop()) : 0;
    },
    kill(signal) {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
