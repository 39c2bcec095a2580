// The enqueue stage's reason codes. Callers branch on these, never on a detail.
export const ENQUEUE_CODES = {
  /** Over the tenant's rate for its tier, or the model is admitting less while its backend recovers. */
  rateLimited: 'RATE_LIMITED',
  /** The request id cannot be a BullMQ job id (an integer, or it holds ':'), so enqueue could not be idempotent. */
  badRequestId: 'BAD_REQUEST_ID',
} as const;
