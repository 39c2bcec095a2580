import { RedlineError } from './errors.ts';
import type { StageDefinition, StageDeps, StageFactory } from './stage.ts';

/** The stages of DESIGN.md's flow, in order. Each lives in `pipeline/<name>/stage.ts`. */
export const STAGE_NAMES = ['auth', 'sanitize', 'detect', 'enqueue'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export function isStageName(name: string): name is StageName {
  return (STAGE_NAMES as readonly string[]).includes(name);
}

export async function loadStage(name: string, deps: StageDeps): Promise<StageDefinition> {
  if (!isStageName(name)) {
    throw new RedlineError('USAGE', `unknown stage "${name}" (stages: ${STAGE_NAMES.join(', ')})`);
  }
  const mod = (await import(`./${name}/stage.ts`)) as { default: StageFactory };
  return mod.default(deps);
}
