// TypeScript shapes of the Avro records in this folder. The `.avsc` files are the wire contract;
// these types mirror them field for field (test/unit/schemas.test.ts checks that they agree).

export type Tier = 'interactive' | 'standard' | 'batch';
export const TIERS: readonly Tier[] = ['interactive', 'standard', 'batch'];

export interface InferenceParameters {
  maxTokens: number;
  temperature: number;
  /** The model weight (size/capability band) the caller asks for; checked against RBAC bands. */
  weight: number;
}

/** What a producer publishes to `redline.requests`. */
export interface InferenceRequest {
  requestId: string;
  tenant: string;
  sessionId: string | null;
  model: string;
  operation: string;
  /** Raw prompt, or null when the request names a template and gives slot values. */
  prompt: string | null;
  templateId: string | null;
  slots: Record<string, string>;
  parameters: InferenceParameters;
  priorityHint: Tier | null;
  batchId: string | null;
  batchIndex: number | null;
  createdAt: number;
  /** Bearer token (a JWT). Removed by the auth stage; never travels further. */
  token: string | null;
  producer: Record<string, string>;
}

export interface Principal {
  subject: string;
  tenant: string;
  roles: string[];
  tier: Tier;
  weightLevel: number | null;
}

/** Output of auth: the request without its token, with the verified principal. */
export interface AuthorizedRequest extends Omit<InferenceRequest, 'token'> {
  principal: Principal;
}

export type Severity = 'low' | 'medium' | 'high';

/** Something sanitize noticed that did not reject the request; the detector weighs it. */
export interface Finding {
  code: string;
  ruleId: string | null;
  severity: Severity;
  detail: string;
}

/** Output of sanitize: the prompt the model will see (rendered template or normalised text). */
export interface SanitizedRequest extends AuthorizedRequest {
  /** The prompt to send to the model (templates rendered with fenced, escaped slots). */
  renderedPrompt: string;
  /** The normalised text used for matching and detection (NFKC, invisible characters removed, decoded layers). */
  normalizedPrompt: string;
  findings: Finding[];
  fingerprintScore: number;
}

export interface Detection {
  score: number;
  modelVersion: string;
}

/** Output of detect, also the record on the quarantine topic (with its detection). */
export interface ClearedRequest extends SanitizedRequest {
  detection: Detection;
}

export interface Rejection {
  requestId: string;
  tenant: string;
  stage: string;
  code: string;
  /** Safe to show the caller: never the prompt, token or matched secret. */
  detail: string;
  batchId: string | null;
  batchIndex: number | null;
  rejectedAt: number;
}

export interface ResultTimings {
  queueWaitMs: number;
  backendMs: number;
  totalMs: number;
}

export interface InferenceResult {
  requestId: string;
  tenant: string;
  model: string;
  output: string;
  redactions: string[];
  timings: ResultTimings;
  preemptions: number;
  batchId: string | null;
  batchIndex: number | null;
  completedAt: number;
}

export interface SpanEvent {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  /** OpenTelemetry SpanKind name: internal, server, client, producer, consumer. */
  kind: string;
  service: string;
  startTimeMs: number;
  durationMs: number;
  /** 0 unset, 1 ok, 2 error (OpenTelemetry's SpanStatusCode). */
  statusCode: number;
  statusMessage: string | null;
  attributes: Record<string, string>;
}

export interface Alert {
  alertId: string;
  severity: string;
  summary: string;
  reason: string;
  stage: string;
  spanName: string;
  errorType: string;
  clusterSize: number;
  share: number;
  p50Ms: number;
  p99Ms: number;
  exemplarTraceIds: string[];
  windowStart: number;
  windowEnd: number;
  link: string | null;
}

export interface DlqRecord {
  sourceTopic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  errorCode: string;
  errorMessage: string;
  stage: string;
  failedAt: number;
}
