import type { StageDefinition } from '../../pipeline/stage.ts';
import type { LogicalTopic } from '../../pipeline/topics.ts';
import { pass } from '../../pipeline/verdict.ts';
import type { InferenceRequest } from '../../schemas/types.ts';

/**
 * A stage whose core passes every request on unchanged, except that a request whose prompt is
 * `poison` makes the core throw (a poison message). Used to test the runner itself.
 */
export function passthroughStage(name: string, input: LogicalTopic, output: LogicalTopic): StageDefinition {
  return {
    name,
    input,
    inputType: 'InferenceRequest',
    output,
    outputType: 'InferenceRequest',
    core: (request) => {
      if ((request as InferenceRequest).prompt === 'poison')
        throw new Error('core cannot handle this request');
      return pass(request);
    },
  };
}
