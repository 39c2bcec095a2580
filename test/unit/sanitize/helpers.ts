import { configSchema } from '../../../infra/config/schema.ts';
import { createSanitizeCore } from '../../../pipeline/sanitize/core.ts';
import { createSanitizeFromConfig } from '../../../pipeline/sanitize/factory.ts';
import type { FingerprintIndex } from '../../../pipeline/sanitize/fingerprint/fingerprint-index.ts';
import type { RuleSet } from '../../../pipeline/sanitize/rules/engine.ts';
import { loadTemplates } from '../../../pipeline/sanitize/templates/registry.ts';
import type { Verdict } from '../../../pipeline/verdict.ts';
import type { AuthorizedRequest, SanitizedRequest } from '../../../schemas/types.ts';
import { makeAuthorized } from '../../helpers/requests.ts';

export const config = configSchema.parse({});
/** The shipped rules, templates and corpus, built once per test file. */
export const shipped = createSanitizeFromConfig(config);
export const ctx = { now: 1_700_000_000_000 };
export const BOUNDARY = 'b0undary0123456789abcdef';

export function request(overrides: Partial<AuthorizedRequest> = {}): AuthorizedRequest {
  return makeAuthorized({ tenant: 'acme', createdAt: ctx.now, ...overrides });
}

/** A core on the shipped files with a fixed boundary (and optionally other rules or fingerprints). */
export function makeCore(
  opts: { rules?: RuleSet; fingerprints?: FingerprintIndex | null; maxPromptBytes?: number } = {},
) {
  return createSanitizeCore({
    config: { ...config.sanitize, maxPromptBytes: opts.maxPromptBytes ?? config.sanitize.maxPromptBytes },
    rules: () => opts.rules ?? shipped.rules.current(),
    fingerprints: opts.fingerprints === undefined ? shipped.fingerprints : opts.fingerprints,
    templates: loadTemplates(config.sanitize.templatesFile),
    boundary: () => BOUNDARY,
  });
}

export const core = makeCore();

export function run(prompt: string): Verdict<SanitizedRequest> {
  return core(request({ prompt }), ctx) as Verdict<SanitizedRequest>;
}

export function codeOf(v: Verdict<SanitizedRequest>): string {
  return v.kind === 'reject' ? v.code : v.kind;
}

export function findingCodes(v: Verdict<SanitizedRequest>): string[] {
  return v.kind === 'reject' ? [] : v.output.findings.map((f) => f.code);
}
