import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { RedlineError } from '../pipeline/errors.ts';
import type { Alert } from '../schemas/types.ts';

// Alerts POSTed as JSON to an SRE webhook (a chat bridge, an incident tool), retried with
// exponential back-off (cockatiel). A webhook that keeps failing never holds up the consumer:
// the caller does not await delivery on its hot path, it only counts the outcome.

export interface WebhookOptions {
  url: string;
  retries: number;
  initialDelayMs: number;
  timeoutMs: number;
}

export async function postAlert(alert: Alert, options: WebhookOptions): Promise<void> {
  const policy = retry(handleAll, {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs, maxDelay: 30_000 }),
  });
  await policy.execute(async () => {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new RedlineError('WEBHOOK_FAILED', `webhook answered HTTP ${response.status}`);
  });
}
