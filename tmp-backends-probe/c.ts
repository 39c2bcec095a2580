import { configSchema } from '../infra/config/schema.ts';
const c = configSchema.parse({});
console.log(JSON.stringify(c.workers.backends), JSON.stringify(c.workers.resilience), JSON.stringify(c.workers.outputScan));
