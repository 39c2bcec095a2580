#!/usr/bin/env node
// Entry point of the `redline` command. It runs the TypeScript sources directly through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
await main(process.argv);
