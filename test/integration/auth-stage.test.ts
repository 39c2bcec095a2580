import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/log.ts';
import authStage from '../../pipeline/auth/stage.ts';
import { createKafka } from '../../pipeline/kafka/client.ts';
import { type RunningStage, startStage } from '../../pipeline/runner.ts';
import { type LogicalTopic, topicName } from '../../pipeline/topics.ts';
import { codecFor } from '../../schemas/codec.ts';
import type { AuthorizedRequest, InferenceRequest, Rejection } from '../../schemas/types.ts';
import { isolatedConfig } from '../helpers/kafka.ts';
import { makeRequest } from '../helpers/requests.ts';
import { b64url, makeKey, mint, POLICY_YAML, signRaw, tempDir } from '../unit/auth/helpers.ts';

// The auth stage through the real Kafka: valid requests reach redline.authorized (without their
// token), each attack lands in redline.rejected with its code, and the counts add up.

const logger = createLogger('test-auth-stage');
const tmp = tempDir();
let stage: RunningStage | undefined;

afterAll(async () => {
  await stage?.stop();
  tmp.cleanup();
});

/** Reads a topic from the beginning (read_committed) until `expected` records have arrived and nothing more comes. */
async function readAll<T>(
  config: Awaited<ReturnType<typeof isolatedConfig>>,
  topic: LogicalTopic,
  decode: (buf: Buffer) => T,
  expected: number,
): Promise<T[]> {
  const consumer = createKafka(config).consumer({ groupId: `${config.topics.prefix}read.${randomUUID()}` });
  const out: T[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(config, topic), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      out.push(decode(message.value as Buffer));
      last = Date.now();
    },
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !(out.length >= expected && Date.now() - last > 1_500)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await consumer.disconnect();
  return out;
}

describe('auth stage against the real Kafka', () => {
  it('authorizes the valid requests and rejects each attack with its code', async () => {
    const config = await isolatedConfig('auth');
    const key = await makeKey('k1');
    const attacker = await makeKey('k1');
    const jwksFile = join(tmp.dir, 'jwks.json');
    const policyFile = join(tmp.dir, 'policy.yaml');
    writeFileSync(jwksFile, JSON.stringify({ keys: [key.publicJwk] }));
    writeFileSync(policyFile, POLICY_YAML);
    config.auth = { ...config.auth, jwksFile, policyFile };

    const now = Date.now();
    const nowSec = Math.floor(now / 1000);
    const claims = {
      sub: 'u',
      tenant: 'acme',
      roles: ['analyst'],
      iss: 'redline-dev',
      aud: 'redline',
      iat: nowSec,
      exp: nowSec + 600,
    };
    const header = { alg: 'ES256', kid: 'k1', typ: 'JWT' };
    const good = await Promise.all([0, 1, 2, 3].map((i) => mint(key, now, { claims: { sub: `user-${i}` } })));
    const [h, p] = good[0]!.split('.');
    const attacks: Array<[string, string | null, Partial<InferenceRequest>?]> = [
      ['AUTH_MISSING', null],
      [
        'AUTH_ALG_NOT_ALLOWED',
        `${b64url(JSON.stringify({ alg: 'none' }))}.${b64url(JSON.stringify(claims))}.`,
      ],
      ['AUTH_BAD_SIGNATURE', `${h}.${p}.`],
      ['AUTH_BAD_SIGNATURE', await mint(attacker, now)],
      ['AUTH_UNKNOWN_KEY', await mint(key, now, { header: { kid: '../../etc/passwd' } })],
      [
        'AUTH_UNKNOWN_KEY',
        signRaw({ ...header, jku: 'https://evil.example/jwks' }, claims, attacker.privateKey),
      ],
      ['AUTH_MALFORMED', signRaw({ ...header, crit: ['x-evil'], 'x-evil': 1 }, claims, key.privateKey)],
      ['AUTH_MALFORMED', 'not.a.jwt!'],
      ['AUTH_EXPIRED', await mint(key, now, { iat: nowSec - 7200, exp: nowSec - 3600 })],
      ['AUTH_NOT_YET_VALID', await mint(key, now, { nbf: nowSec + 3600, exp: nowSec + 7200 })],
      ['AUTH_CLAIMS', await mint(key, now, { iss: 'https://evil.example' })],
      ['AUTH_CLAIMS', signRaw(header, { ...claims, roles: 'admin' }, key.privateKey)],
      ['AUTH_TOO_LARGE', 'a'.repeat(1024 * 1024)],
      ['TENANT_MISMATCH', await mint(key, now, { claims: { tenant: 'globex' } })],
      ['RBAC_DENIED', good[0]!, { model: 'gpt-4' }],
      ['WEIGHT_OUT_OF_BAND', good[0]!, { parameters: { maxTokens: 16, temperature: 0.5, weight: 11 } }],
    ];

    // 200 valid requests over four tokens (the cache's case), and the attacks in between.
    const valid = Array.from({ length: 200 }, (_, i) =>
      makeRequest({
        requestId: `ok-${i}`,
        model: 'llama-3-8b',
        token: good[i % good.length]!,
        parameters: { maxTokens: 16, temperature: 0.5, weight: 5 },
      }),
    );
    const hostile = attacks.map(([code, token, over], i) =>
      makeRequest({
        requestId: `attack-${i}-${code}`,
        model: 'llama-3-8b',
        token,
        parameters: { maxTokens: 16, temperature: 0.5, weight: 5 },
        ...over,
      }),
    );
    const all = [...valid];
    for (const [i, r] of hostile.entries()) all.splice(i * 12, 0, r);

    stage = await startStage(await authStage({ config, logger }), { config, logger });
    const producer = createKafka(config).producer({ idempotent: true });
    await producer.connect();
    const codec = codecFor('InferenceRequest');
    await producer.send({
      topic: topicName(config, 'requests'),
      messages: all.map((r) => ({ key: r.requestId, value: codec.encode(r) })),
    });
    await producer.disconnect();

    const authorizedCodec = codecFor('AuthorizedRequest');
    const rawAuthorized: Buffer[] = [];
    const authorized = await readAll<AuthorizedRequest>(
      config,
      'authorized',
      (buf) => {
        rawAuthorized.push(buf);
        return authorizedCodec.decode(buf);
      },
      valid.length,
    );
    const rejected = await readAll<Rejection>(
      config,
      'rejected',
      (b) => codecFor('Rejection').decode(b),
      hostile.length,
    );

    // Every request ends exactly once, in the right topic.
    expect(authorized.length + rejected.length).toBe(all.length);
    expect(authorized.map((a) => a.requestId).sort()).toEqual(valid.map((v) => v.requestId).sort());
    expect(Object.fromEntries(rejected.map((r) => [r.requestId, r.code]))).toEqual(
      Object.fromEntries(hostile.map((r, i) => [r.requestId, attacks[i]![0]])),
    );
    expect(rejected.every((r) => r.stage === 'auth' && r.tenant === 'acme')).toBe(true);

    // The authorized records carry the principal and never the token.
    expect(
      authorized.every((a) => a.principal.tenant === 'acme' && a.principal.subject.startsWith('user-')),
    ).toBe(true);
    for (const buf of rawAuthorized) for (const t of good) expect(buf.includes(t.split('.')[2]!)).toBe(false);
    for (const r of rejected)
      for (const [, t] of attacks) if (t && t.length > 20) expect(r.detail).not.toContain(t.slice(-20));
  });
});
