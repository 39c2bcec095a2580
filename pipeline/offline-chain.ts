import { codecFor } from '../schemas/codec.ts';
import type { InferenceRequest } from '../schemas/types.ts';
import authStage from './auth/stage.ts';
import detectStage from './detect/stage.ts';
import { isRedlineError, RedlineError } from './errors.ts';
import { createSanitizeFromConfig } from './sanitize/factory.ts';
import type { StageDefinition, StageDeps, StageFactory } from './stage.ts';
import type { StageContext, StageCore } from './verdict.ts';

// The pure cores run offline, without Kafka: `redline check` answers "why was this request
// rejected?" by running a request through them in pipeline order.

/**
 * Sanitize's core alone: the Kafka stage also follows the rules topic and the confirmed-attacks
 * list in Redis, which an offline check must not wait for.
 */
async function offlineSanitize({ config }: StageDeps): Promise<StageDefinition> {
  return {
    name: 'sanitize',
    input: 'authorized',
    inputType: 'AuthorizedRequest',
    output: 'sanitized',
    outputType: 'SanitizedRequest',
    core: createSanitizeFromConfig(config).core as StageCore<unknown, unknown>,
  };
}

/**
 * The stages `redline check` runs, in pipeline order. A later stage joins by appending its entry
 * here (its `stage.ts` factory); nothing else changes.
 */
export const OFFLINE_STAGES: ReadonlyArray<{ stage: string; factory: StageFactory }> = [
  { stage: 'auth', factory: authStage },
  { stage: 'sanitize', factory: offlineSanitize },
  { stage: 'detect', factory: detectStage },
];

export interface OfflineStage {
  stage: string;
  core: StageCore<unknown, unknown>;
}

export interface StepReport {
  stage: string;
  verdict: 'pass' | 'reject' | 'quarantine' | 'error';
  code: string | null;
  detail: string | null;
}

export interface ChainReport {
  requestId: string;
  /** The verdict of the last stage that ran: the first non-pass stops the chain, as in the pipeline. */
  outcome: StepReport['verdict'];
  stage: string | null;
  code: string | null;
  steps: StepReport[];
}

export interface OfflineChain {
  stages: OfflineStage[];
  close(): Promise<void>;
}

/** Builds each stage's core from the config (the same factories the Kafka stages use). */
export async function buildOfflineChain(
  deps: StageDeps,
  entries: ReadonlyArray<{ stage: string; factory: StageFactory }> = OFFLINE_STAGES,
): Promise<OfflineChain> {
  const built: Array<{ stage: string; core: StageCore<unknown, unknown>; close?: () => Promise<void> }> = [];
  const close = async () => {
    for (const b of built.reverse()) await b.close?.();
  };
  try {
    for (const entry of entries) {
      const definition = await entry.factory({ ...deps, logger: deps.logger.child({ stage: entry.stage }) });
      built.push({
        stage: entry.stage,
        core: definition.core,
        ...(definition.close ? { close: definition.close.bind(definition) } : {}),
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { stages: built.map(({ stage, core }) => ({ stage, core })), close };
}

/** Runs one request through the stages in order, stopping at the first that does not pass. */
export async function runOfflineChain(
  stages: readonly OfflineStage[],
  request: InferenceRequest,
  ctx: StageContext,
): Promise<ChainReport> {
  const steps: StepReport[] = [];
  let current: unknown = request;
  for (const { stage, core } of stages) {
    let step: StepReport;
    try {
      const verdict = await core(current, ctx);
      if (verdict.kind === 'pass') {
        steps.push({ stage, verdict: 'pass', code: null, detail: null });
        current = verdict.output;
        continue;
      }
      step = { stage, verdict: verdict.kind, code: verdict.code, detail: verdict.detail };
    } catch (err) {
      step = {
        stage,
        verdict: 'error',
        code: isRedlineError(err) ? err.code : 'STAGE_ERROR',
        detail: err instanceof Error ? err.message : String(err),
      };
    }
    steps.push(step);
    return { requestId: request.requestId, outcome: step.verdict, stage, code: step.code, steps };
  }
  return { requestId: request.requestId, outcome: 'pass', stage: null, code: null, steps };
}

/**
 * A request as an operator writes it: any InferenceRequest field may be left out and takes the
 * schema's default; `requestId` and `createdAt` are filled in when missing. Invalid input is
 * INVALID_REQUEST with the reason.
 */
export function parseOfflineRequest(value: unknown, fallbackId: string, now: number): InferenceRequest {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new RedlineError('INVALID_REQUEST', `${fallbackId}: a request must be a JSON object`);
  }
  const input: Record<string, unknown> = {
    requestId: fallbackId,
    createdAt: now,
    ...(value as Record<string, unknown>),
  };
  input.parameters ??= {};
  const type = codecFor('InferenceRequest').reader.type;
  const problems: string[] = [];
  type.isValid(input, { errorHook: (path) => problems.push(path.join('.') || '(root)') });
  if (problems.length > 0) {
    throw new RedlineError(
      'INVALID_REQUEST',
      `${String(input.requestId)}: missing or invalid field(s): ${[...new Set(problems)].join(', ')}`,
    );
  }
  // clone() fills the schema's defaults; the JSON round trip leaves plain objects.
  return JSON.parse(JSON.stringify(type.clone(input))) as InferenceRequest;
}
