import { loadConfig } from '../../infra/config/load.ts';
import { servicesUp } from '../../infra/services.ts';

// Integration tests run against the real services; `npm test` has started them already, and a
// direct `vitest run --project integration` starts them here.
export default async function setup(): Promise<void> {
  await servicesUp(loadConfig(), () => {});
}
