export interface BinaryMetrics {
  n: number;
  positives: number;
  negatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate: benign prompts flagged / benign prompts. */
  fpr: number;
  accuracy: number;
}

export function binaryMetrics(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): BinaryMetrics {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const flagged = scores[i]! >= threshold;
    if (labels[i] === 1) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = tp + fn ? tp / (tp + fn) : 1;
  return {
    n: labels.length,
    positives: tp + fn,
    negatives: tn + fp,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    fpr: tn + fp ? fp / (tn + fp) : 0,
    accuracy: labels.length ? (tp + tn) / labels.length : 0,
  };
}
