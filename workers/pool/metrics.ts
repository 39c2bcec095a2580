import { Counter, Histogram } from 'prom-client';

// Pool metrics on prom-client's default registry, created once per process (several pools in one
// process, as in tests, share them; the `model` label tells them apart).

let metrics: ReturnType<typeof create> | undefined;

function create() {
  return {
    preemptions: new Counter({
      name: 'redline_pool_preemptions_total',
      help: 'Running jobs cancelled and moved back to their queue for a more urgent job',
      labelNames: ['model'],
    }),
    jobs: new Counter({
      name: 'redline_pool_jobs_total',
      help: 'Jobs ended by the pool, by outcome (result, rejected, retry, preempted)',
      labelNames: ['model', 'outcome'],
    }),
    queueWait: new Histogram({
      name: 'redline_pool_queue_wait_seconds',
      help: 'Time from enqueue to the start of the attempt that ended the request',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    }),
    relayed: new Counter({
      name: 'redline_results_relayed_total',
      help: 'Outcomes carried from the result outbox to Kafka (taken over from a stopped relay: reclaimed="true")',
      labelNames: ['reclaimed'],
    }),
    relayFailures: new Counter({
      name: 'redline_results_relay_failures_total',
      help: 'Kafka produce attempts of the result relay that failed (the batch is tried again)',
    }),
  };
}

export function poolMetrics() {
  metrics ??= create();
  return metrics;
}
