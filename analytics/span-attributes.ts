// The span attribute names redline's processes set and the analytics consumer reads. One place,
// so the stage runner, the workers and the feature extractor agree.
export const SPAN_ATTRIBUTES = {
  /** The pipeline stage: producer, auth, sanitize, detect, enqueue, queue, worker, backend, output-scan. */
  stage: 'redline.stage',
  model: 'redline.model',
  /** A hash of the tenant id (never the id itself). */
  tenantHash: 'redline.tenant_hash',
  requestId: 'redline.request_id',
  /** The rejection reason code, when a stage rejected the request. */
  reasonCode: 'redline.reason_code',
  /** OpenTelemetry semantic conventions. */
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
} as const;

/** Stage names known to the feature extractor; anything else is one "other" column. */
export const KNOWN_STAGES = [
  'producer',
  'auth',
  'sanitize',
  'detect',
  'enqueue',
  'queue',
  'worker',
  'backend',
  'output-scan',
  'analytics',
] as const;
