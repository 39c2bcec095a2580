#!/usr/bin/env node
// Entry point of the `redline` command. It runs the TypeScript sources directly through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const command = process.argv[2];
// The demo's screen tells the story: its components log errors only unless asked otherwise.
if (command === 'demo' && !process.env.REDLINE_LOG_LEVEL) process.env.REDLINE_LOG_LEVEL = 'error';
// The KafkaJS instrumentation patches kafkajs only if it is installed before kafkajs is first
// imported, which the command modules do; so it goes first. Only in processes whose Kafka traffic
// is requests: where the analytics consumer or the dashboard reads the spans topic, a span per
// consumed span would feed itself.
if (['stage', 'run', 'workers', 'submit', 'batch'].includes(command ?? '')) {
  const { installKafkaInstrumentation } = await import('../infra/telemetry.ts');
  installKafkaInstrumentation();
}
const { main } = await import('./cli.ts');
await main(process.argv);
