import { RedlineError } from '../../pipeline/errors.ts';
import type { BackendConfig } from './config.ts';
import { OnnxBackend } from './onnx.ts';
import { OpenAIBackend } from './openai.ts';
import { SimBackend } from './sim.ts';
import type { ModelBackend } from './types.ts';

/** The backend for one model: `createBackend(config.workers.backends[model], model)`. */
export function createBackend(
  config: BackendConfig | undefined,
  model: string,
  env: NodeJS.ProcessEnv = process.env,
): ModelBackend {
  if (!config)
    throw new RedlineError('BACKEND_NOT_CONFIGURED', `no backend is configured for model ${model}`);
  switch (config.kind) {
    case 'openai':
      return new OpenAIBackend(config, model, env);
    case 'sim':
      return new SimBackend(config, model);
    case 'onnx':
      return new OnnxBackend(config, model, env);
  }
}
