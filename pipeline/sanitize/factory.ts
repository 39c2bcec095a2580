import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedlineConfig } from '../../infra/config/schema.ts';
import { createSanitizeCore, type SanitizeCore } from './core.ts';
import { loadCorpus } from './fingerprint/corpus-file.ts';
import type { FingerprintIndex } from './fingerprint/fingerprint-index.ts';
import { loadRuleSet } from './rules/engine.ts';
import { RuleStore } from './rules/rule-store.ts';
import { loadTemplates } from './templates/registry.ts';

export interface SanitizeParts {
  core: SanitizeCore;
  rules: RuleStore;
  fingerprints: FingerprintIndex;
}

/** A fresh 96-bit boundary per request: unguessable, so a slot value cannot close its own fence. */
export const randomBoundary = (): string => randomBytes(12).toString('hex');

/**
 * Builds the sanitize core from configuration (rule file, templates, corpus), without Kafka or
 * Redis: what `redline check`/`scan` and the stage both use. Throws RULES_INVALID,
 * TEMPLATES_INVALID or CORPUS_INVALID when a file is bad.
 */
export function createSanitizeFromConfig(config: Pick<RedlineConfig, 'sanitize'>): SanitizeParts {
  const s = config.sanitize;
  const rules = new RuleStore(loadRuleSet(readFileSync(s.rulesFile, 'utf8')));
  const fingerprints = loadCorpus(s.corpusFile, s.fingerprintThreshold, s.fingerprintIndex);
  const core = createSanitizeCore({
    config: s,
    rules: () => rules.current(),
    fingerprints,
    templates: loadTemplates(s.templatesFile),
    boundary: randomBoundary,
  });
  return { core, rules, fingerprints };
}
