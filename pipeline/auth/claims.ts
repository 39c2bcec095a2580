import { z } from 'zod';
import type { Principal, Tier } from '../../schemas/types.ts';
import { compileGlob } from './glob.ts';

// The redline-specific claims a verified token must carry. jose has already checked the registered
// claims (iss, aud, exp, nbf, iat); this validates the rest, types included.
export const redlineClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  tenant: z.string().min(1).max(256),
  roles: z.array(z.string().min(1).max(128)).min(1).max(64),
  /** Model globs the token may use; absent means the policy alone decides. */
  models: z.array(z.string().min(1).max(256)).max(64).optional(),
  /** The highest weight the caller may use. */
  weight_level: z.number().int().min(0).optional(),
  tier: z.enum(['interactive', 'standard', 'batch']).optional(),
});

export type RedlineClaims = z.infer<typeof redlineClaimsSchema>;

export const DEFAULT_TIER: Tier = 'standard';

/** What the verifier keeps of a token: the principal, the token's model globs, and when it stops being valid. */
export interface VerifiedToken {
  principal: Principal;
  /** The token's `models` globs, compiled once per token; null when the token does not restrict models. */
  allowsModel: ((model: string) => boolean) | null;
}

export function principalFrom(claims: RedlineClaims): VerifiedToken {
  return {
    // Frozen: one cached principal is shared by every request that carries the token.
    principal: Object.freeze({
      subject: claims.sub,
      tenant: claims.tenant,
      roles: Object.freeze([...claims.roles]) as string[],
      tier: claims.tier ?? DEFAULT_TIER,
      weightLevel: claims.weight_level ?? null,
    }),
    allowsModel: claims.models ? anyOf(claims.models.map(compileGlob)) : null,
  };
}

/** A zod failure as a detail safe to show: the claim's path and what was wrong, never its value. */
export function describeClaimsError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'claims invalid';
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(claims)';
  return `claim "${path}" invalid: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code}`;
}

function anyOf(matchers: Array<(value: string) => boolean>): (value: string) => boolean {
  return (value) => matchers.some((m) => m(value));
}
