// The result of a stage's pure decision core. A core never throws for bad input: it rejects with
// a reason code and a detail that is safe to show the caller.

export type Verdict<Out> =
  | { readonly kind: 'pass'; readonly output: Out }
  | { readonly kind: 'reject'; readonly code: string; readonly detail: string }
  /** Neither passed nor rejected: held for an operator's review (the detector's grey zone). */
  | { readonly kind: 'quarantine'; readonly output: Out; readonly code: string; readonly detail: string };

export const pass = <Out>(output: Out): Verdict<Out> => ({ kind: 'pass', output });

export const reject = <Out = never>(code: string, detail: string): Verdict<Out> => ({
  kind: 'reject',
  code,
  detail,
});

export const quarantine = <Out>(output: Out, code: string, detail: string): Verdict<Out> => ({
  kind: 'quarantine',
  output,
  code,
  detail,
});

/** What every core receives besides its input: the clock is passed in, never read. */
export interface StageContext {
  now: number;
}

/** A stage's pure decision core. Async only where the decision needs I/O-free async work (jose, ONNX). */
export type StageCore<In, Out> = (input: In, ctx: StageContext) => Verdict<Out> | Promise<Verdict<Out>>;
