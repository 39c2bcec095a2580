// Start file of a sandbox (worker thread or child process). A fresh thread or process has no
// TypeScript loader, so it registers tsx before loading the sandbox's TypeScript main module.
import { register } from 'tsx/esm/api';

register();
await import('./sandbox-main.ts');
