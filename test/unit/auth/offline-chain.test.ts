import { execFile } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../../pipeline/auth/build.ts';
import { authConfigSchema } from '../../../pipeline/auth/config.ts';
import { generateSigningKey, mintToken, parseTtl, readPrivateJwk } from '../../../pipeline/auth/dev-keys.ts';
import { type OfflineStage, parseOfflineRequest, runOfflineChain } from '../../../pipeline/offline-chain.ts';
import { pass, reject } from '../../../pipeline/verdict.ts';
import { POLICY_YAML, tempDir } from './helpers.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const tmp = tempDir();
let privateKeyFile: string;
let jwksFile: string;
let policyFile: string;
const mint = async (over: Partial<Parameters<typeof mintToken>[1]> = {}) =>
  mintToken(readPrivateJwk(privateKeyFile), {
    sub: 'alice',
    tenant: 'acme',
    roles: ['analyst'],
    ttlSec: 600,
    issuer: 'redline-dev',
    audience: 'redline',
    ...over,
  });

beforeAll(async () => {
  ({ privateKeyFile, jwksFile } = await generateSigningKey(tmp.dir));
  policyFile = join(tmp.dir, 'policy.yaml');
  writeFileSync(policyFile, POLICY_YAML);
});
afterAll(() => tmp.cleanup());

describe('keys generate and token mint', () => {
  it('writes a private key only its owner can read, and a JWKS its tokens verify against', async () => {
    expect(statSync(privateKeyFile).mode & 0o077).toBe(0);
    const auth = createAuth(authConfigSchema.parse({ jwksFile, policyFile }));
    try {
      const token = await mint({ models: ['llama-*'], weightLevel: 7, tier: 'interactive' });
      const now = Date.now();
      const verdict = await auth.core(
        parseOfflineRequest({ tenant: 'acme', model: 'llama-3', token }, 'r', now),
        {
          now,
        },
      );
      expect(verdict).toMatchObject({
        kind: 'pass',
        output: { principal: { subject: 'alice', tier: 'interactive', weightLevel: 7 } },
      });
    } finally {
      await auth.close();
    }
  });

  it('refuses to overwrite a key without --force; a forced run rotates, keeping the old public key', async () => {
    await expect(generateSigningKey(tmp.dir)).rejects.toMatchObject({ code: 'KEY_EXISTS' });
    const oldToken = await mint();
    const rotated = await generateSigningKey(tmp.dir, { force: true });
    expect(rotated.jwksKeys).toBe(2);
    const auth = createAuth(authConfigSchema.parse({ jwksFile, policyFile }));
    try {
      const now = Date.now();
      for (const token of [oldToken, await mint()]) {
        const req = parseOfflineRequest({ tenant: 'acme', model: 'llama-3', token }, 'r', now);
        expect((await auth.core(req, { now })).kind).toBe('pass');
      }
    } finally {
      await auth.close();
    }
  });

  it('parses TTLs', () => {
    expect(parseTtl('90s')).toBe(90);
    expect(parseTtl('10m')).toBe(600);
    expect(parseTtl('2h')).toBe(7200);
    expect(() => parseTtl('10')).toThrow(/--ttl/);
    expect(() => parseTtl('0m')).toThrow(/--ttl/);
  });
});

describe('offline chain', () => {
  it('fills request defaults and refuses invalid requests', () => {
    const req = parseOfflineRequest({ tenant: 't', model: 'm' }, 'line-1', 123);
    expect(req).toMatchObject({ requestId: 'line-1', createdAt: 123, operation: 'chat', token: null });
    expect(req.parameters.weight).toBe(1);
    expect(() => parseOfflineRequest({ model: 'm' }, 'x', 0)).toThrow(/tenant/);
    expect(() =>
      parseOfflineRequest({ tenant: 't', model: 'm', parameters: { weight: 'heavy' } }, 'x', 0),
    ).toThrow(/parameters\.weight/);
    expect(() => parseOfflineRequest([1], 'x', 0)).toThrow(/JSON object/);
  });

  it('runs stages in order, feeds each the previous output and stops at the first rejection', async () => {
    const seen: unknown[] = [];
    const stages: OfflineStage[] = [
      { stage: 'one', core: (input) => pass({ ...(input as object), one: true }) },
      {
        stage: 'two',
        core: (input) => {
          seen.push(input);
          return reject('NOPE', 'two says no');
        },
      },
      { stage: 'three', core: () => pass({}) },
    ];
    const report = await runOfflineChain(stages, parseOfflineRequest({ tenant: 't', model: 'm' }, 'r', 0), {
      now: 0,
    });
    expect(report).toMatchObject({ outcome: 'reject', stage: 'two', code: 'NOPE' });
    expect(report.steps.map((s) => s.stage)).toEqual(['one', 'two']);
    expect(seen[0]).toMatchObject({ one: true });
  });

  it('reports a stage that throws as an error with its code', async () => {
    const stages: OfflineStage[] = [
      {
        stage: 'boom',
        core: () => {
          throw Object.assign(new Error('down'), { code: 'X' });
        },
      },
    ];
    const report = await runOfflineChain(stages, parseOfflineRequest({ tenant: 't', model: 'm' }, 'r', 0), {
      now: 0,
    });
    expect(report).toMatchObject({ outcome: 'error', stage: 'boom', code: 'STAGE_ERROR' });
  });
});

// `check` runs every offline stage (auth, sanitize, detect): requests carry an ordinary prompt.
const PROMPT = 'Summarise the quarterly report in three bullet points.';

describe('redline check (the command)', () => {
  const cli = (args: string[], input?: string) => {
    const child = run(
      'node',
      ['bin/redline.js', 'check', '--jwks', jwksFile, '--policy', policyFile, ...args],
      {
        cwd: ROOT,
        // Offline means offline: no topic of this prefix exists on a running broker (a rules-topic
        // follower would wait for it), and no Redis answers here.
        env: {
          ...process.env,
          REDLINE_CONFIG: '',
          REDLINE_TOPICS_PREFIX: `offline-check-${process.pid}.`,
          REDLINE_REDIS_URL: 'redis://127.0.0.1:9',
        },
      },
    );
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    return child.then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  };

  it('prints each verdict and code for JSONL on stdin; exit 3 when one is rejected', async () => {
    const good = await mint();
    const capped = await mint({ weightLevel: 3 });
    const lines = [
      {
        requestId: 'ok',
        tenant: 'acme',
        model: 'llama-3',
        prompt: PROMPT,
        parameters: { weight: 5 },
        token: good,
      },
      {
        requestId: 'heavy',
        tenant: 'acme',
        model: 'llama-3',
        prompt: PROMPT,
        parameters: { weight: 5 },
        token: capped,
      },
      { requestId: 'other-tenant', tenant: 'globex', model: 'llama-3', prompt: PROMPT, token: good },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const { code, stdout } = await cli(['--jsonl', '--json'], `${lines}\n`);
    expect(code).toBe(3);
    const reports = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(reports.map((r) => [r.requestId, r.outcome, r.code])).toEqual([
      ['ok', 'pass', null],
      ['heavy', 'reject', 'WEIGHT_OUT_OF_BAND'],
      ['other-tenant', 'reject', 'TENANT_MISMATCH'],
    ]);
    expect(stdout).not.toContain(good);
  });

  it('exit 0 for a passing --request file, in text form', async () => {
    const file = join(tmp.dir, 'req.json');
    writeFileSync(
      file,
      JSON.stringify({
        requestId: 'r1',
        tenant: 'acme',
        model: 'llama-3',
        prompt: PROMPT,
        parameters: { weight: 2 },
      }),
    );
    const { code, stdout } = await cli(['--request', file, '--token', await mint()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/auth\s+pass/);
    expect(stdout).toMatch(/passed every stage/);
  });
});
