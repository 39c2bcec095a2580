import type { AuthorizedRequest, InferenceRequest } from '../../schemas/types.ts';
import { pass, reject, type StageContext, type StageCore, type Verdict } from '../verdict.ts';
import type { VerifiedToken } from './claims.ts';
import type { Policy } from './policy.ts';
import type { TokenVerifier } from './verifier.ts';

export interface AuthCoreDeps {
  verifier: TokenVerifier;
  /** The policy in force now (a hot-reloading store's `current`). */
  policy: () => Policy;
}

/**
 * The auth stage's pure core: verify the token, check the policy, and pass the request on without
 * its token and with the verified principal. A cached token is decided synchronously.
 */
export function createAuthCore(deps: AuthCoreDeps): StageCore<InferenceRequest, AuthorizedRequest> {
  const decide = (request: InferenceRequest, verified: VerifiedToken): Verdict<AuthorizedRequest> => {
    const decision = deps.policy().decide(verified.principal, verified.allowsModel, {
      tenant: request.tenant,
      model: request.model,
      operation: request.operation,
      weight: request.parameters.weight,
    });
    if (!decision.ok) return reject(decision.code, decision.detail);
    const { token: _dropped, ...rest } = request;
    return pass({ ...rest, principal: verified.principal });
  };

  return (request: InferenceRequest, ctx: StageContext) => {
    const hit = request.token ? deps.verifier.cached(request.token, ctx.now) : undefined;
    if (hit) return decide(request, hit);
    return deps.verifier
      .verify(request.token, ctx.now)
      .then((outcome) =>
        outcome.ok ? decide(request, outcome.token) : reject<AuthorizedRequest>(outcome.code, outcome.detail),
      );
  };
}
