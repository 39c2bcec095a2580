import type { TrainDetectorResult } from './index.ts';
export function writeModelCard(r: TrainDetectorResult): string {
  return JSON.stringify({ v: r.validation, h: r.heldOutPhrasings }, null, 1);
}
