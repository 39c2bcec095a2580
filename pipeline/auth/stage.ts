import type { StageDefinition, StageFactory } from '../stage.ts';
import { createAuth } from './build.ts';

/** requests (InferenceRequest) → authorized (AuthorizedRequest: the principal, never the token). */
const authStage: StageFactory = async ({ config, logger }) => {
  const auth = createAuth(config.auth, logger);
  return {
    name: 'auth',
    input: 'requests',
    inputType: 'InferenceRequest',
    output: 'authorized',
    outputType: 'AuthorizedRequest',
    core: auth.core as StageDefinition['core'],
    close: auth.close,
  };
};

export default authStage;
