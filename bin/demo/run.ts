import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startDashboard } from '../../analytics/dashboard/server.ts';
import { loadConfig } from '../../infra/config/load.ts';
import { createLogger } from '../../infra/log.ts';
import { DATA_DIR, REPO_ROOT } from '../../infra/paths.ts';
import { servicesUp } from '../../infra/services.ts';
import { startTelemetry } from '../../infra/telemetry.ts';
import { assemblePipeline } from '../../pipeline/assemble.ts';
import { RedlineClient } from '../../pipeline/sdk/client.ts';
import { followOutcomes, type Outcome } from '../../pipeline/sdk/outcomes.ts';
import { writeSimControl } from '../../workers/backends/sim-control.ts';
import { poolMetrics } from '../../workers/pool/metrics.ts';
import { countOutcome, type LiveCounts, LiveDisplay, statusLine } from './live.ts';
import { buildScenario } from './scenario.ts';
import { renderSummary, summarise } from './summary.ts';
import { demoTokens } from './tokens.ts';

export interface DemoOptions {
  durationS: number;
  config?: string;
  dashboard: boolean;
  dashboardPort: number;
  keep: boolean;
  drainS: number;
}

const MODEL = 'llama-3-8b';

async function preemptionCount(): Promise<number> {
  const metric = await poolMetrics().preemptions.get();
  return metric.values.reduce((a, v) => a + v.value, 0);
}

function firstOf(value: string | string[]): string {
  return Array.isArray(value) ? value[0]! : value;
}

/** `npm start`: the whole pipeline on the demo configuration, replaying a traffic mix with attacks. */
export async function runDemo(options: DemoOptions): Promise<number> {
  process.chdir(REPO_ROOT);
  const say = (line: string) => console.log(line);
  const config = loadConfig({ file: options.config ?? 'infra/dev/demo.config.yaml' });
  const logger = createLogger('demo');
  say('redline demo: bringing up Kafka and Redis…');
  await servicesUp(config, say);
  mkdirSync(DATA_DIR, { recursive: true });
  const tokens = await demoTokens(
    join(DATA_DIR, 'demo-keys'),
    firstOf(config.auth.issuer),
    firstOf(config.auth.audience),
  );
  const backend = config.workers.backends[MODEL];
  const controlFile = backend?.kind === 'sim' ? backend.controlFile : undefined;
  if (controlFile) writeSimControl(controlFile, { brownOut: false });
  const telemetry = startTelemetry({ serviceName: 'redline-demo', config, instrumentKafka: false });
  say(
    'starting the stages (auth, sanitize, detect with the encrypted model, enqueue), the worker pool and analytics…',
  );
  const pipeline = await assemblePipeline({ config, logger, analytics: true, fromBeginning: false });
  const dashboard = options.dashboard
    ? await startDashboard({
        config,
        analytics: pipeline.analytics,
        models: [MODEL],
        port: options.dashboardPort,
      })
    : undefined;
  if (dashboard) say(`dashboard: ${dashboard.url}`);

  const runId = `demo-${randomUUID().slice(0, 8)}`;
  const durationMs = options.durationS * 1000;
  const scenario = buildScenario(tokens, { durationMs, model: MODEL, runId });
  const planned = new Set(scenario.requests.map((p) => p.request.requestId));
  const outcomes = new Map<string, Outcome>();
  const alerts: string[] = [];
  const counts: LiveCounts = {
    sent: 0,
    planned: planned.size,
    results: 0,
    quarantined: 0,
    rejected: new Map(),
    preemptions: 0,
    alerts: 0,
    phase: 'traffic',
  };
  const display = new LiveDisplay(Boolean(process.stdout.isTTY));
  const follower = await followOutcomes(config, (o) => {
    if (!planned.has(o.requestId)) return;
    const previous = outcomes.get(o.requestId);
    if (previous && previous.kind !== 'quarantined') return;
    outcomes.set(o.requestId, o);
    countOutcome(counts, o, previous);
  });
  pipeline.analytics?.on('alert', (a) => {
    alerts.push(`[${a.severity}] ${a.summary}`);
    counts.alerts = alerts.length;
    display.note(`ALERT [${a.severity}] ${a.summary}`);
  });

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const client = new RedlineClient(config);
  const started = Date.now();
  let next = 0;
  let brownOut = false;
  say(`replaying ${planned.size} requests over ${options.durationS}s (run ${runId}); Ctrl-C stops early\n`);
  while (!interrupted) {
    const elapsed = Date.now() - started;
    const due = [];
    while (next < scenario.requests.length && scenario.requests[next]!.atMs <= elapsed)
      due.push(scenario.requests[next++]!);
    if (due.length > 0) {
      await client.submitMany(due.map((p) => p.request));
      counts.sent += due.length;
    }
    if (
      controlFile &&
      !brownOut &&
      elapsed >= scenario.brownOut.startMs &&
      elapsed < scenario.brownOut.endMs
    ) {
      brownOut = true;
      writeSimControl(controlFile, { brownOut: true });
      display.note(`— backend brown-out begins: ${MODEL} starts failing and slowing down —`);
      counts.phase = 'brown-out';
    } else if (controlFile && brownOut && elapsed >= scenario.brownOut.endMs) {
      brownOut = false;
      writeSimControl(controlFile, { brownOut: false });
      display.note(`— backend heals —`);
      counts.phase = 'traffic';
    }
    counts.preemptions = await preemptionCount();
    display.update(statusLine(counts, elapsed / 1000), Date.now());
    const trafficDone = next >= scenario.requests.length && elapsed >= durationMs;
    if (trafficDone) {
      counts.phase = 'draining';
      if (outcomes.size >= planned.size || elapsed >= durationMs + options.drainS * 1000) break;
      const final = [...outcomes.values()].every((o) => o.kind !== 'quarantined');
      if (outcomes.size >= planned.size && final) break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (controlFile && brownOut) writeSimControl(controlFile, { brownOut: false });
  counts.preemptions = await preemptionCount();
  display.done(statusLine(counts, (Date.now() - started) / 1000));

  const summary = summarise(scenario.requests.slice(0, next), outcomes, {
    preemptions: counts.preemptions,
    alerts,
  });
  say(renderSummary(summary));
  say(`
where to look next:
  npx redline dashboard            the SRE dashboard (alerts, error-span clusters, stages, pool)
  npx redline results              results (add --follow to keep watching)
  npx redline rejected             rejections with their reason codes
  npx redline alerts --follow      alerts for SRE subscribers
  npx redline review list          requests held in quarantine for an operator
  npx redline check --request FILE why a request would be rejected (offline, no Kafka)
  logs of the broker: .data/kafka/broker.log`);
  if (options.keep && dashboard && !interrupted) {
    say(`\nthe pipeline and the dashboard keep running at ${dashboard.url}; Ctrl-C stops them`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  say('\nstopping…');
  await follower.stop();
  await client.close();
  await dashboard?.close();
  await pipeline.stop();
  await telemetry.shutdown();
  say('stopped cleanly.');
  return summary.accountedFor || interrupted ? 0 : 1;
}
