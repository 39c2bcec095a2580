#!/usr/bin/env node
// Entry point of the `redline` command. It runs the TypeScript sources directly through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
// The KafkaJS instrumentation patches kafkajs only if it is installed before kafkajs is first
// imported, which the command modules do; so it goes first.
const { installKafkaInstrumentation } = await import('../infra/telemetry.ts');
installKafkaInstrumentation();
const { main } = await import('./cli.ts');
await main(process.argv);
