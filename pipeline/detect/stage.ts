import type { ClearedRequest, SanitizedRequest } from '../../schemas/types.ts';
import type { StageDefinition, StageFactory } from '../stage.ts';
import { createDetectCore } from './core.ts';
import { openConfiguredDetector } from './open-detector.ts';

/**
 * The detect stage: sanitized → cleared. Rejections go to the rejected topic and grey-zone
 * verdicts to the quarantine topic (the runner routes both). The ONNX session is opened once and
 * released on close.
 */
const createDetectStage: StageFactory = async ({ config, logger }) => {
  const detector = await openConfiguredDetector(config.detect);
  logger.info({ modelVersion: detector.version, threshold: config.detect.threshold }, 'detector loaded');
  const definition: StageDefinition<SanitizedRequest, ClearedRequest> = {
    name: 'detect',
    input: 'sanitized',
    inputType: 'SanitizedRequest',
    output: 'cleared',
    outputType: 'ClearedRequest',
    core: createDetectCore(detector, config.detect),
    close: () => detector.close(),
  };
  return definition as StageDefinition;
};

export default createDetectStage;
