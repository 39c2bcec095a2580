import { createHash } from 'node:crypto';
import YAML from 'yaml';
import { z } from 'zod';
import type { Principal } from '../../schemas/types.ts';
import { RedlineError } from '../errors.ts';
import { AUTH_CODES, type AuthCode } from './codes.ts';
import { compileGlob, type Matcher } from './glob.ts';

// The RBAC policy: rows of model glob × role × operation → an inclusive weight band. Anything no
// row allows is denied.

const weight = z.number().int().min(0);

export const policyRuleSchema = z
  .object({
    /** Model glob (`*`, `?`). */
    model: z.string().min(1),
    /** Role name, or a glob over role names. */
    role: z.string().min(1),
    /** Operation (chat, completion, embedding, ...), or a glob. */
    operation: z.string().min(1),
    min_weight: weight,
    max_weight: weight,
  })
  .strict()
  .refine((r) => r.min_weight <= r.max_weight, { message: 'min_weight must not exceed max_weight' });

export const policyFileSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(policyRuleSchema),
  })
  .strict();

export type PolicyRule = z.infer<typeof policyRuleSchema>;
export type PolicyFile = z.infer<typeof policyFileSchema>;

interface CompiledRule {
  rule: PolicyRule;
  model: Matcher;
  role: Matcher;
  operation: Matcher;
}

/** What a policy decision needs of a request. */
export interface PolicyRequest {
  tenant: string;
  model: string;
  operation: string;
  weight: number;
}

export type PolicyDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: AuthCode; readonly detail: string };

const ALLOW: PolicyDecision = { ok: true };
const deny = (code: AuthCode, detail: string): PolicyDecision => ({ ok: false, code, detail });

export class Policy {
  private readonly compiled: CompiledRule[];

  constructor(
    readonly rules: readonly PolicyRule[],
    /** A short hash of the source text, for logs ("which policy decided this?"). */
    readonly digest: string,
  ) {
    this.compiled = rules.map((rule) => ({
      rule,
      model: compileGlob(rule.model),
      role: compileGlob(rule.role),
      operation: compileGlob(rule.operation),
    }));
  }

  /**
   * Tenant first, then the token's own model globs, then the rows: some row must match the model,
   * the operation and one of the roles (else RBAC_DENIED), and the weight must lie in one matching
   * row's band and at or under the token's weight_level (else WEIGHT_OUT_OF_BAND).
   */
  decide(
    principal: Principal,
    allowsModel: ((model: string) => boolean) | null,
    request: PolicyRequest,
  ): PolicyDecision {
    if (principal.tenant !== request.tenant) {
      return deny(AUTH_CODES.tenantMismatch, "the token's tenant does not match the request's tenant");
    }
    if (allowsModel && !allowsModel(request.model)) {
      return deny(AUTH_CODES.rbacDenied, `the token does not allow model "${request.model}"`);
    }
    const { weight } = request;
    let granted = false;
    for (const c of this.compiled) {
      if (!c.model(request.model) || !c.operation(request.operation)) continue;
      if (!principal.roles.some((role) => c.role(role))) continue;
      granted = true;
      if (weight >= c.rule.min_weight && weight <= c.rule.max_weight) {
        if (principal.weightLevel !== null && weight > principal.weightLevel) {
          return deny(
            AUTH_CODES.weightOutOfBand,
            `weight ${weight} is above the token's weight_level ${principal.weightLevel}`,
          );
        }
        return ALLOW;
      }
    }
    if (!granted) {
      return deny(
        AUTH_CODES.rbacDenied,
        `no policy rule grants operation "${request.operation}" on model "${request.model}" to the token's roles`,
      );
    }
    return deny(AUTH_CODES.weightOutOfBand, `weight ${weight} is outside every band the policy grants`);
  }
}

/** An empty policy: denies everything (what "no policy configured" means). */
export const DENY_ALL = new Policy([], 'deny-all');

/** Parses a policy from YAML or JSON text (JSON is YAML, but `.json` files get JSON's stricter parser). */
export function parsePolicy(text: string, origin: string): Policy {
  let raw: unknown;
  try {
    raw = origin.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new RedlineError('POLICY_INVALID', `${origin}: cannot parse: ${(err as Error).message}`);
  }
  const parsed = policyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new RedlineError('POLICY_INVALID', `${origin}: ${issues}`);
  }
  return new Policy(parsed.data.rules, createHash('sha256').update(text).digest('hex').slice(0, 12));
}
