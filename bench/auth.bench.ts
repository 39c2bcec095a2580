import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JWTVerifyOptions,
  jwtVerify,
  SignJWT,
} from 'jose';
import { createAuth } from '../pipeline/auth/build.ts';
import { authConfigSchema } from '../pipeline/auth/config.ts';
import type { InferenceRequest } from '../schemas/types.ts';
import type { BenchRow, BenchSection } from './types.ts';

// The auth core (size cap, hash + cache lookup, jose verification, claims validation with zod,
// policy decision, output without the token) against bare `jose.jwtVerify` with the same options
// on the same ES256 tokens, in alternating rounds of one run. Distinct tokens show the core's
// overhead over jose (each token once, a cold cache); reuse (many requests per token, as a
// gateway's callers send) shows what the verified-token cache buys.

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface SideBySide {
  /** Whole-run throughputs. */
  opsA: number;
  opsB: number;
  /** Median over chunks of (time of A / time of B) on the same tokens: B's speed relative to A's. */
  ratio: number;
}

/**
 * Both paths over the same tokens in small alternating chunks (which goes first swaps every
 * chunk). The ratio is the median of the per-chunk ratios, so a burst of load from other
 * processes on a shared machine, which lands on one side of one chunk, does not decide it.
 */
async function sideBySide(
  tokens: readonly string[],
  a: (token: string) => Promise<unknown>,
  b: (token: string) => Promise<unknown>,
  chunk = 10,
): Promise<SideBySide> {
  let timeA = 0;
  let timeB = 0;
  const ratios: number[] = [];
  const timed = async (op: (token: string) => Promise<unknown>, part: readonly string[]) => {
    const start = performance.now();
    for (const token of part) await op(token);
    return performance.now() - start;
  };
  for (let i = 0, n = 0; i < tokens.length; i += chunk, n++) {
    const part = tokens.slice(i, i + chunk);
    let ta: number;
    let tb: number;
    if (n % 2 === 0) {
      ta = await timed(a, part);
      tb = await timed(b, part);
    } else {
      tb = await timed(b, part);
      ta = await timed(a, part);
    }
    timeA += ta;
    timeB += tb;
    ratios.push(ta / tb);
  }
  return {
    opsA: tokens.length / (timeA / 1000),
    opsB: tokens.length / (timeB / 1000),
    ratio: median(ratios),
  };
}

const POLICY = `version: 1
rules:
  - { model: "llama-3-*", role: analyst, operation: chat, min_weight: 1, max_weight: 10 }
`;

export async function run({ quick }: { quick: boolean }): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'redline-auth-bench-'));
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] };
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  const config = authConfigSchema.parse({
    jwksFile: join(dir, 'jwks.json'),
    policyFile: join(dir, 'policy.yaml'),
  });

  const distinct = quick ? 400 : 2_000;
  const reuseTokens = quick ? 10 : 40;
  const perToken = 50;
  const rounds = quick ? 3 : 5;
  const now = Date.now();
  const iat = Math.floor(now / 1000);
  const mint = (i: number) =>
    new SignJWT({ tenant: 'acme', roles: ['analyst'], weight_level: 8 })
      .setProtectedHeader({ alg: 'ES256', kid: 'bench', typ: 'JWT' })
      .setSubject(`user-${i}`)
      .setIssuer(config.issuer as string)
      .setAudience(config.audience as string)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(privateKey);
  const tokens = await Promise.all(Array.from({ length: distinct }, (_, i) => mint(i)));
  // Many requests per token, interleaved across callers as they would arrive.
  const reused = Array.from({ length: reuseTokens * perToken }, (_, i) => tokens[i % reuseTokens]!);

  const keySet = createLocalJWKSet(jwks);
  const joseOptions: JWTVerifyOptions = {
    algorithms: config.algorithms,
    issuer: config.issuer,
    audience: config.audience,
    typ: config.typ,
    clockTolerance: config.clockToleranceSec,
    maxTokenAge: config.maxTokenAgeSec,
    requiredClaims: ['exp', 'iat', 'sub'],
    currentDate: new Date(now),
  };
  const bare = (token: string) => jwtVerify(token, keySet, joseOptions);
  // Built inline, not with test/helpers' makeRequest: this runs inside the timed loop, and a UUID
  // per request would charge the auth core for work bare jose does not do.
  const request = (token: string): InferenceRequest => ({
    requestId: 'r',
    tenant: 'acme',
    sessionId: null,
    model: 'llama-3-8b',
    operation: 'chat',
    prompt: 'hello',
    templateId: null,
    slots: {},
    parameters: { maxTokens: 16, temperature: 0.5, weight: 5 },
    priorityHint: null,
    batchId: null,
    batchIndex: null,
    createdAt: now,
    token,
    producer: {},
  });

  const distinctRuns: SideBySide[] = [];
  const reuseRuns: SideBySide[] = [];
  try {
    // Warm both paths (key import, JIT) on tokens not measured afterwards.
    const warmup = await Promise.all(Array.from({ length: 200 }, (_, i) => mint(distinct + i)));
    const warmCore = createAuth(config);
    await sideBySide(warmup, bare, (t) => Promise.resolve(warmCore.core(request(t), { now })));
    await warmCore.close();
    for (let r = 0; r < rounds; r++) {
      // A fresh core per round: a cold cache, so every distinct token is verified.
      const cold = createAuth(config);
      const verdict = await cold.core(request(warmup[0]!), { now });
      if (verdict.kind !== 'pass') throw new Error(`bench token rejected: ${verdict.kind}`);
      distinctRuns.push(
        await sideBySide(tokens, bare, (t) => Promise.resolve(cold.core(request(t), { now }))),
      );
      await cold.close();

      const warm = createAuth(config);
      reuseRuns.push(await sideBySide(reused, bare, (t) => Promise.resolve(warm.core(request(t), { now }))));
      await warm.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const row = (name: string, runs: SideBySide[], goal: string, min: number, notes: string): BenchRow => {
    const ratio = median(runs.map((r) => r.ratio));
    const baseline = {
      name: 'bare jose.jwtVerify (same tokens, same options)',
      value: median(runs.map((r) => r.opsA)),
    };
    return {
      name,
      value: median(runs.map((r) => r.opsB)),
      unit: 'verifications/s',
      baseline,
      ratio,
      goal,
      met: ratio >= min,
      notes: `${notes}; ratio = median over ${rounds} rounds of the median per-chunk time ratio (chunks of 10, alternating order); value and baseline are whole-round figures`,
    };
  };
  return {
    section: 'auth',
    rows: [
      row(
        'auth core, distinct tokens (cold cache)',
        distinctRuns,
        '≥ 0.8× bare jose',
        0.8,
        `${distinct} ES256 tokens each once`,
      ),
      row(
        `auth core, ${perToken} requests per token`,
        reuseRuns,
        'well above 1× bare jose (goal ≥ 5×)',
        5,
        `${reuseTokens} tokens × ${perToken} requests, interleaved; jose verifies every request, the core once per token`,
      ),
    ],
  };
}
