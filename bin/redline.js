#!/usr/bin/env node
// Entry point of the `redline` command. It runs the TypeScript sources directly through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// The demo's screen tells the story; its components log warnings and errors only unless asked.
if (process.argv[2] === 'demo' && !process.env.REDLINE_LOG_LEVEL) process.env.REDLINE_LOG_LEVEL = 'warn';
// The KafkaJS instrumentation patches kafkajs only if it is installed before kafkajs is first
// imported, which the command modules do; so it goes first.
const { installKafkaInstrumentation } = await import('../infra/telemetry.ts');
installKafkaInstrumentation();
const { main } = await import('./cli.ts');
await main(process.argv);
