import type { SpanEvent } from '../schemas/types.ts';
import { seededRandom } from './random.ts';
import { SPAN_ATTRIBUTES } from './span-attributes.ts';

// Synthetic but realistic span streams for tests, benchmarks and demos: each request is a trace
// through producer → auth → sanitize → detect → enqueue → queue → worker → backend → output-scan,
// with a background rate of ordinary rejections and failures, plus injectable incidents.
// Deterministic for a given seed.

export const INCIDENTS = ['backend-timeouts', 'auth-burst', 'rule-storm', 'slow-redis'] as const;
export type IncidentKind = (typeof INCIDENTS)[number];

/** What each incident should be alerted as. */
export const INCIDENT_SIGNATURES: Record<IncidentKind, { stage: string; errorType: string }> = {
  'backend-timeouts': { stage: 'backend', errorType: 'BACKEND_TIMEOUT' },
  'auth-burst': { stage: 'auth', errorType: 'AUTH_BAD_SIGNATURE' },
  'rule-storm': { stage: 'sanitize', errorType: 'RULE_MATCH' },
  'slow-redis': { stage: 'enqueue', errorType: 'REDIS_TIMEOUT' },
};

interface StageStep {
  stage: string;
  name: string;
  kind: string;
  service: string;
  /** Typical duration (ms); actual ones are log-normal around it. */
  ms: number;
  /** Background failures: [probability per request, error type, duration factor, http status]. */
  errors: Array<[number, string, number, string?]>;
}

const MODELS = ['llama-3-70b', 'mistral-7b', 'gpt-oss-20b'];
const TENANTS = ['t-0a41', 't-13fe', 't-2b7c', 't-4d02', 't-5e9a', 't-77c1', 't-9c1e', 't-b3d8'];

const STEPS: StageStep[] = [
  { stage: 'producer', name: 'redline.produce', kind: 'producer', service: 'gateway', ms: 1.5, errors: [] },
  {
    stage: 'auth',
    name: 'stage.auth',
    kind: 'consumer',
    service: 'redline-auth',
    ms: 1.2,
    errors: [
      [0.03, 'AUTH_EXPIRED', 1],
      [0.003, 'AUTH_BAD_SIGNATURE', 1],
      [0.004, 'RBAC_DENIED', 1],
    ],
  },
  {
    stage: 'sanitize',
    name: 'stage.sanitize',
    kind: 'consumer',
    service: 'redline-sanitize',
    ms: 2.5,
    errors: [
      [0.02, 'RULE_MATCH', 1.3],
      [0.003, 'INPUT_TOO_LARGE', 0.5],
    ],
  },
  {
    stage: 'detect',
    name: 'stage.detect',
    kind: 'consumer',
    service: 'redline-detect',
    ms: 9,
    errors: [[0.02, 'INJECTION_DETECTED', 1.1]],
  },
  {
    stage: 'enqueue',
    name: 'stage.enqueue',
    kind: 'consumer',
    service: 'redline-enqueue',
    ms: 1.8,
    errors: [[0.01, 'RATE_LIMITED', 0.8]],
  },
  { stage: 'queue', name: 'queue.wait', kind: 'internal', service: 'redline-worker', ms: 40, errors: [] },
  {
    stage: 'worker',
    name: 'worker.process',
    kind: 'consumer',
    service: 'redline-worker',
    ms: 20,
    errors: [],
  },
  {
    stage: 'backend',
    name: 'backend.call',
    kind: 'client',
    service: 'redline-worker',
    ms: 700,
    errors: [[0.01, 'BACKEND_UNAVAILABLE', 0.02, '503']],
  },
  {
    stage: 'output-scan',
    name: 'output.scan',
    kind: 'internal',
    service: 'redline-worker',
    ms: 4,
    errors: [[0.005, 'OUTPUT_BLOCKED', 1]],
  },
];

function hex(rand: () => number, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(rand() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

function logNormal(rand: () => number, median: number, sigma = 0.35): number {
  // Box–Muller
  const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * z);
}

interface Failure {
  stage: string;
  errorType: string;
  durationMs?: number;
  httpStatus?: string;
}

interface RequestShape {
  tenant?: string;
  model?: string;
  /** Forced failure instead of the background dice. */
  failure?: Failure;
  /** Stages made slow (ms) without failing. */
  slow?: Record<string, number>;
}

/** One request's trace: its spans, ending at the first failing stage. */
function requestTrace(rand: () => number, startMs: number, shape: RequestShape): SpanEvent[] {
  const traceId = hex(rand, 32);
  const tenant = shape.tenant ?? TENANTS[Math.floor(rand() * TENANTS.length)]!;
  const model = shape.model ?? MODELS[Math.floor(rand() * MODELS.length)]!;
  const requestId = hex(rand, 16);
  const spans: SpanEvent[] = [];
  let t = startMs;
  let parent: string | null = null;
  for (const step of STEPS) {
    let failure: Failure | undefined;
    if (shape.failure?.stage === step.stage) failure = shape.failure;
    else if (!shape.failure) {
      for (const [p, errorType, factor, httpStatus] of step.errors) {
        if (rand() < p) {
          failure = {
            stage: step.stage,
            errorType,
            durationMs: logNormal(rand, step.ms * factor),
            ...(httpStatus ? { httpStatus } : {}),
          };
          break;
        }
      }
    }
    const durationMs = failure?.durationMs ?? logNormal(rand, shape.slow?.[step.stage] ?? step.ms);
    const spanId = hex(rand, 16);
    const attributes: Record<string, string> = {
      [SPAN_ATTRIBUTES.stage]: step.stage,
      [SPAN_ATTRIBUTES.model]: model,
      [SPAN_ATTRIBUTES.tenantHash]: tenant,
      [SPAN_ATTRIBUTES.requestId]: requestId,
    };
    if (step.stage === 'backend') attributes[SPAN_ATTRIBUTES.httpStatus] = failure?.httpStatus ?? '200';
    if (failure) {
      attributes[SPAN_ATTRIBUTES.errorType] = failure.errorType;
      if (/^[A-Z_]+$/.test(failure.errorType)) attributes[SPAN_ATTRIBUTES.reasonCode] = failure.errorType;
    }
    spans.push({
      traceId,
      spanId,
      parentSpanId: parent,
      name: step.name,
      kind: step.kind,
      service: step.service,
      startTimeMs: t,
      durationMs,
      statusCode: failure ? 2 : 1,
      statusMessage: failure ? failure.errorType : null,
      attributes,
    });
    if (failure) break;
    parent = spanId;
    t += durationMs + logNormal(rand, 0.5);
  }
  return spans;
}

function incidentShape(kind: IncidentKind, rand: () => number): RequestShape {
  switch (kind) {
    case 'backend-timeouts':
      return {
        model: 'llama-3-70b',
        failure: { stage: 'backend', errorType: 'BACKEND_TIMEOUT', durationMs: 15_000 + rand() * 50 },
      };
    case 'auth-burst':
      return {
        tenant: 't-9c1e',
        failure: { stage: 'auth', errorType: 'AUTH_BAD_SIGNATURE', durationMs: logNormal(rand, 0.9) },
      };
    case 'rule-storm':
      return { failure: { stage: 'sanitize', errorType: 'RULE_MATCH', durationMs: logNormal(rand, 3.2) } };
    case 'slow-redis':
      return {
        slow: { enqueue: 900 },
        failure: { stage: 'enqueue', errorType: 'REDIS_TIMEOUT', durationMs: 2_000 + rand() * 1_000 },
      };
  }
}

export interface SyntheticStreamOptions {
  seed: number;
  windowMs: number;
  /** Event time of the first window's start (a multiple of windowMs keeps windows aligned). */
  startMs: number;
  windows: number;
  requestsPerWindow: number;
  incident?: { kind: IncidentKind; fromWindow: number; windows: number; requestsPerWindow: number };
}

/** Every span of the stream, ordered by end time (the order a live exporter would emit them). */
export function syntheticStream(options: SyntheticStreamOptions): SpanEvent[] {
  const rand = seededRandom(options.seed);
  const spans: SpanEvent[] = [];
  for (let w = 0; w < options.windows; w++) {
    const windowStart = options.startMs + w * options.windowMs;
    // Requests start in the first 90% of the window so most of a trace lands in it.
    const at = () => windowStart + rand() * options.windowMs * 0.9;
    for (let r = 0; r < options.requestsPerWindow; r++) spans.push(...requestTrace(rand, at(), {}));
    const incident = options.incident;
    if (incident && w >= incident.fromWindow && w < incident.fromWindow + incident.windows) {
      for (let r = 0; r < incident.requestsPerWindow; r++) {
        const start =
          incident.kind === 'backend-timeouts' ? windowStart + rand() * options.windowMs * 0.6 : at();
        spans.push(...requestTrace(rand, start, incidentShape(incident.kind, rand)));
      }
    }
  }
  return spans.sort((a, b) => a.startTimeMs + a.durationMs - (b.startTimeMs + b.durationMs));
}
