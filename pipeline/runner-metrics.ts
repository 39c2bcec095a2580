import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the stage runner; one registry per process, shared by its stages. */
export class RunnerMetrics {
  readonly registry: Registry;
  readonly messagesIn: Counter<'stage'>;
  readonly messagesOut: Counter<'stage'>;
  readonly rejected: Counter<'stage' | 'code'>;
  readonly quarantined: Counter<'stage'>;
  readonly dlq: Counter<'stage' | 'code'>;
  readonly batchSeconds: Histogram<'stage'>;
  readonly lag: Gauge<'stage' | 'topic' | 'partition'>;
  readonly inFlight: Gauge<'stage'>;

  constructor(registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.messagesIn = new Counter({
      name: 'redline_stage_messages_in_total',
      help: 'messages consumed',
      labelNames: ['stage'],
      registers,
    });
    this.messagesOut = new Counter({
      name: 'redline_stage_messages_out_total',
      help: 'records passed on',
      labelNames: ['stage'],
      registers,
    });
    this.rejected = new Counter({
      name: 'redline_stage_rejected_total',
      help: 'requests rejected, by reason code',
      labelNames: ['stage', 'code'],
      registers,
    });
    this.quarantined = new Counter({
      name: 'redline_stage_quarantined_total',
      help: 'requests held for review',
      labelNames: ['stage'],
      registers,
    });
    this.dlq = new Counter({
      name: 'redline_stage_dlq_total',
      help: 'messages sent to the DLQ, by error code',
      labelNames: ['stage', 'code'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'redline_stage_batch_seconds',
      help: 'time from a batch fetched to its transaction committed',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.lag = new Gauge({
      name: 'redline_stage_consumer_lag',
      help: 'high watermark minus the next offset',
      labelNames: ['stage', 'topic', 'partition'],
      registers,
    });
    this.inFlight = new Gauge({
      name: 'redline_stage_in_flight',
      help: 'messages being processed',
      labelNames: ['stage'],
      registers,
    });
  }
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * /metrics, /healthz (the process answers) and /readyz (every stage has joined its group).
 * Bound to loopback unless the operator configures another host: operational endpoints are
 * never public by default.
 */
export async function startOpsServer(
  metrics: RunnerMetrics,
  isReady: () => boolean,
  host: string,
  port: number,
): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/metrics') {
      metrics.registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
        () => res.writeHead(500).end(),
      );
    } else if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (req.url === '/readyz') {
      const ready = isReady();
      res
        .writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' })
        .end(ready ? 'ready\n' : 'not ready\n');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
