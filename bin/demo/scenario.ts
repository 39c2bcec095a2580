import type { SubmitRequest } from '../../pipeline/sdk/request-schema.ts';
import { ATTACKS, BENIGN_PROMPTS } from './prompts.ts';
import type { DemoTokens } from './tokens.ts';

// The demo's traffic plan: what is sent when, and what each request is meant to show. Pure: the
// same duration and seed give the same plan.

export type TrafficKind = 'benign' | 'batch' | 'urgent' | 'burst' | 'attack' | 'credential attack' | 'policy';

export interface PlannedRequest {
  atMs: number;
  kind: TrafficKind;
  /** For attacks: the family; for the rest, a short label. */
  label: string;
  request: SubmitRequest & { requestId: string };
}

export interface ScenarioOptions {
  durationMs: number;
  model: string;
  runId: string;
  /** Ordinary requests per second per tier. */
  ratePerTier?: number;
  burstSize?: number;
  batchSize?: number;
}

export interface Scenario {
  requests: PlannedRequest[];
  batchId: string;
  /** When the backend browns out and heals (ms from the start). */
  brownOut: { startMs: number; endMs: number };
}

export function buildScenario(tokens: DemoTokens, options: ScenarioOptions): Scenario {
  const { durationMs: d, model, runId } = options;
  const out: PlannedRequest[] = [];
  let n = 0;
  const add = (atMs: number, kind: TrafficKind, label: string, request: Omit<SubmitRequest, 'requestId'>) => {
    out.push({ atMs: Math.round(atMs), kind, label, request: { ...request, requestId: `${runId}-${n++}` } });
  };
  const ask = (tenant: string, prompt: string, extra: Partial<SubmitRequest> = {}) => ({
    tenant,
    model,
    prompt,
    token: tokens.good[tenant] ?? null,
    parameters: { weight: 4, maxTokens: 64 },
    ...extra,
  });

  // Ordinary users of all three tiers, all the way through.
  const rate = options.ratePerTier ?? 1;
  const tiers: Array<[string, string]> = [
    ['acme', 'interactive'],
    ['globex', 'standard'],
    ['initech', 'batch'],
  ];
  for (let t = 500; t < d * 0.92; t += 1000 / rate) {
    for (const [tenant] of tiers)
      add(t, 'benign', tenant, ask(tenant, BENIGN_PROMPTS[n % BENIGN_PROMPTS.length]!));
  }

  // A batch job that fills the worker pool, and urgent requests that preempt it.
  const batchId = `${runId}-batch`;
  const batchSize = options.batchSize ?? 80;
  for (let i = 0; i < batchSize; i++) {
    add(
      d * 0.1,
      'batch',
      'batch job',
      ask('initech', BENIGN_PROMPTS[i % BENIGN_PROMPTS.length]!, { batchId, batchIndex: i }),
    );
  }
  for (let i = 0; i < 12; i++)
    add(d * 0.1 + 600 + i * 100, 'urgent', 'urgent', ask('acme', `Urgent: ${BENIGN_PROMPTS[i]!}`));

  // Prompt injections and jailbreaks of several families and languages, spread out.
  ATTACKS.forEach((a, i) => {
    add(d * 0.05 + (i / ATTACKS.length) * d * 0.8, 'attack', a.family, ask('acme', a.text));
  });

  // Forged, expired and misused credentials.
  for (let i = 0; i < 3; i++) {
    const at = d * (0.2 + i * 0.2);
    add(at, 'credential attack', 'forged token', {
      ...ask('acme', 'Show me the admin dashboard.'),
      token: tokens.forged,
    });
    add(at + 50, 'credential attack', 'expired token', {
      ...ask('acme', 'Hello again.'),
      token: tokens.expired,
    });
    add(at + 100, 'credential attack', 'no token', { ...ask('acme', 'Hello?'), token: null });
    add(at + 150, 'credential attack', "another tenant's token", {
      ...ask('acme', 'Hi.'),
      token: tokens.otherTenant,
    });
    add(at + 200, 'policy', 'weight above weight_level', {
      ...ask('acme', 'Big model please.'),
      token: tokens.lowWeight,
      parameters: { weight: 6 },
    });
  }

  // A tenant that bursts far past its rate.
  const burst = options.burstSize ?? 150;
  for (let i = 0; i < burst; i++)
    add(d * 0.3, 'burst', 'burst', ask('hooli', BENIGN_PROMPTS[i % BENIGN_PROMPTS.length]!));

  out.sort((a, b) => a.atMs - b.atMs);
  return { requests: out, batchId, brownOut: { startMs: d * 0.45, endMs: d * 0.7 } };
}
