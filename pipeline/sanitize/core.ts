import type { AuthorizedRequest, Finding, SanitizedRequest } from '../../schemas/types.ts';
import { pass, reject, type StageContext, type Verdict } from '../verdict.ts';
import { SANITIZE_CODES as CODES } from './codes.ts';
import type { SanitizeConfig } from './config.ts';
import { FINDING, finding } from './findings.ts';
import type { FingerprintIndex } from './fingerprint/fingerprint-index.ts';
import { normalizeText } from './normalize/index.ts';
import type { RuleSet } from './rules/engine.ts';
import type { TemplateRegistry } from './templates/registry.ts';
import { renderTemplate } from './templates/render.ts';

export interface SanitizeCoreDeps {
  config: Pick<
    SanitizeConfig,
    'maxPromptBytes' | 'fingerprintThreshold' | 'maxDecodeDepth' | 'maxDecodedLayers'
  >;
  /** The rule set in force, read on every request (reloads take effect at once). */
  rules: () => RuleSet;
  /** Known-attack fingerprints; null switches the check off. */
  fingerprints: FingerprintIndex | null;
  templates: TemplateRegistry;
  /** Per-request random boundary for template slots (injected so the core stays deterministic in tests). */
  boundary: (ctx: StageContext) => string;
}

/** Scores this far below the threshold still travel as a finding for the detector. */
const NEAR_MARGIN = 0.1;

function inputBytes(req: AuthorizedRequest): number {
  let n = req.prompt === null ? 0 : Buffer.byteLength(req.prompt, 'utf8');
  for (const value of Object.values(req.slots)) n += Buffer.byteLength(value, 'utf8');
  return n;
}

/**
 * The sanitize core: `(AuthorizedRequest, ctx) → Verdict<SanitizedRequest>`. Pure apart from the
 * injected boundary source: normalises, decodes, renders templates, runs the rules and the
 * fingerprints, and either rejects with a code or passes the request on with its findings.
 */
export function createSanitizeCore(deps: SanitizeCoreDeps) {
  const { config } = deps;
  const limits = { maxDepth: config.maxDecodeDepth, maxLayers: config.maxDecodedLayers };

  return (req: AuthorizedRequest, ctx: StageContext): Verdict<SanitizedRequest> => {
    const bytes = inputBytes(req);
    if (bytes > config.maxPromptBytes) {
      return reject(CODES.inputTooLarge, `input is ${bytes} bytes; the limit is ${config.maxPromptBytes}`);
    }

    let rendered: string | null = null;
    let userText: string;
    if (req.templateId !== null) {
      const template = deps.templates.get(req.templateId);
      if (!template) return reject(CODES.templateUnknown, `unknown template ${req.templateId.slice(0, 64)}`);
      const result = renderTemplate(template, req.slots, deps.boundary(ctx));
      if (!result.ok) return reject(result.code, result.detail);
      rendered = result.text;
      userText = Object.values(req.slots).join('\n');
    } else if (req.prompt !== null) {
      userText = req.prompt;
    } else {
      return reject(CODES.templateUnknown, 'the request has neither a prompt nor a templateId');
    }

    const norm = normalizeText(userText, limits);
    if (norm.abuse !== null) return reject(CODES.encodingAbuse, norm.abuse);

    const rules = deps.rules();
    const hits = rules.match(norm.matchText);
    const rejecting = hits.find((r) => r.action === 'reject');
    if (rejecting) {
      return reject(CODES.ruleMatch, `rule ${rejecting.id} (${rejecting.severity}, rules v${rules.version})`);
    }

    let score = 0;
    const findings: Finding[] = [...norm.findings];
    if (deps.fingerprints !== null && deps.fingerprints.size > 0) {
      const match = deps.fingerprints.search(norm.detectText);
      score = match.score;
      if (score >= config.fingerprintThreshold) {
        return reject(
          CODES.fingerprintMatch,
          `cosine ${score.toFixed(3)} >= ${config.fingerprintThreshold} with known attack ${match.id}`,
        );
      }
      if (score >= config.fingerprintThreshold - NEAR_MARGIN) {
        findings.push(
          finding(
            FINDING.fingerprintNear,
            'medium',
            `cosine ${score.toFixed(3)} with known attack ${match.id}`,
          ),
        );
      }
    }

    const stripped = hits.filter((r) => r.action === 'strip');
    for (const rule of hits) {
      if (rule.action === 'flag')
        findings.push(finding(FINDING.ruleFlag, rule.severity, `rule ${rule.id}`, rule.id));
      if (rule.action === 'strip')
        findings.push(finding(FINDING.ruleStrip, rule.severity, `rule ${rule.id}`, rule.id));
    }
    const renderedPrompt = rendered ?? (stripped.length ? rules.strip(norm.text, stripped) : norm.text);

    return pass({
      ...req,
      renderedPrompt,
      normalizedPrompt: norm.detectText,
      findings,
      fingerprintScore: score,
    });
  };
}

export type SanitizeCore = ReturnType<typeof createSanitizeCore>;
