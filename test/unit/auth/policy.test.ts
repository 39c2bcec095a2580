import { describe, expect, it } from 'vitest';
import { DENY_ALL, parsePolicy } from '../../../pipeline/auth/policy.ts';
import type { Principal } from '../../../schemas/types.ts';

const policy = parsePolicy(
  `version: 1
rules:
  - { model: "llama-*", role: analyst, operation: chat, min_weight: 2, max_weight: 10 }
  - { model: "org/big-?b", role: admin, operation: "*", min_weight: 20, max_weight: 50 }
  - { model: "exact-model", role: "ops-*", operation: embedding, min_weight: 0, max_weight: 0 }
`,
  'policy.yaml',
);

const principal = (over: Partial<Principal> = {}): Principal => ({
  subject: 's',
  tenant: 'acme',
  roles: ['analyst'],
  tier: 'standard',
  weightLevel: null,
  ...over,
});
const req = (model: string, operation: string, weight: number, tenant = 'acme') => ({
  model,
  operation,
  weight,
  tenant,
});
const code = (d: ReturnType<typeof policy.decide>) => (d.ok ? 'ALLOW' : d.code);

describe('policy', () => {
  it('denies by default: no rule, no access; an empty policy denies everything', () => {
    expect(code(policy.decide(principal(), null, req('gpt-4', 'chat', 5)))).toBe('RBAC_DENIED');
    expect(code(policy.decide(principal(), null, req('llama-3', 'completion', 5)))).toBe('RBAC_DENIED');
    expect(code(policy.decide(principal({ roles: ['viewer'] }), null, req('llama-3', 'chat', 5)))).toBe(
      'RBAC_DENIED',
    );
    expect(code(DENY_ALL.decide(principal(), null, req('llama-3', 'chat', 5)))).toBe('RBAC_DENIED');
    expect(
      code(parsePolicy('version: 1\nrules: []\n', 'p.yaml').decide(principal(), null, req('x', 'chat', 0))),
    ).toBe('RBAC_DENIED');
  });

  it('matches globs: *, ? and role/operation globs; everything else is literal', () => {
    expect(code(policy.decide(principal(), null, req('llama-3-8b', 'chat', 5)))).toBe('ALLOW');
    expect(code(policy.decide(principal(), null, req('llama-', 'chat', 5)))).toBe('ALLOW');
    expect(code(policy.decide(principal(), null, req('my-llama-3', 'chat', 5)))).toBe('RBAC_DENIED');
    const admin = principal({ roles: ['viewer', 'admin'] });
    expect(code(admin.roles && policy.decide(admin, null, req('org/big-7b', 'anything', 30)))).toBe('ALLOW');
    expect(code(policy.decide(admin, null, req('org/big-70b', 'chat', 30)))).toBe('RBAC_DENIED');
    const ops = principal({ roles: ['ops-east'] });
    expect(code(policy.decide(ops, null, req('exact-model', 'embedding', 0)))).toBe('ALLOW');
    expect(code(policy.decide(ops, null, req('exact-modelX', 'embedding', 0)))).toBe('RBAC_DENIED');
    // Regex metacharacters in a glob are literal.
    const dots = parsePolicy(
      'version: 1\nrules: [{ model: "a.b+(c)", role: r, operation: o, min_weight: 0, max_weight: 1 }]\n',
      'p.yaml',
    );
    expect(code(dots.decide(principal({ roles: ['r'] }), null, req('a.b+(c)', 'o', 1)))).toBe('ALLOW');
    expect(code(dots.decide(principal({ roles: ['r'] }), null, req('aXb+(c)', 'o', 1)))).toBe('RBAC_DENIED');
  });

  it('band edges: min and max are inclusive; just outside is WEIGHT_OUT_OF_BAND', () => {
    expect(code(policy.decide(principal(), null, req('llama-3', 'chat', 2)))).toBe('ALLOW');
    expect(code(policy.decide(principal(), null, req('llama-3', 'chat', 10)))).toBe('ALLOW');
    expect(code(policy.decide(principal(), null, req('llama-3', 'chat', 1)))).toBe('WEIGHT_OUT_OF_BAND');
    expect(code(policy.decide(principal(), null, req('llama-3', 'chat', 11)))).toBe('WEIGHT_OUT_OF_BAND');
  });

  it('weight_level caps the weight: at the level passes, above it is WEIGHT_OUT_OF_BAND', () => {
    const capped = principal({ weightLevel: 6 });
    expect(code(policy.decide(capped, null, req('llama-3', 'chat', 6)))).toBe('ALLOW');
    expect(code(policy.decide(capped, null, req('llama-3', 'chat', 7)))).toBe('WEIGHT_OUT_OF_BAND');
    expect(code(policy.decide(principal({ weightLevel: 0 }), null, req('llama-3', 'chat', 2)))).toBe(
      'WEIGHT_OUT_OF_BAND',
    );
  });

  it('the tenant must match; the token may narrow the models', () => {
    expect(code(policy.decide(principal(), null, req('llama-3', 'chat', 5, 'globex')))).toBe(
      'TENANT_MISMATCH',
    );
    const onlyLlama2 = (m: string) => m.startsWith('llama-2');
    expect(code(policy.decide(principal(), onlyLlama2, req('llama-3', 'chat', 5)))).toBe('RBAC_DENIED');
    expect(code(policy.decide(principal(), onlyLlama2, req('llama-2', 'chat', 5)))).toBe('ALLOW');
  });

  it('several matching rows: the weight may lie in any of their bands', () => {
    const two = parsePolicy(
      `version: 1
rules:
  - { model: "m", role: r, operation: chat, min_weight: 0, max_weight: 3 }
  - { model: "m*", role: r, operation: chat, min_weight: 7, max_weight: 9 }
`,
      'p.yaml',
    );
    const p = principal({ roles: ['r'] });
    expect(code(two.decide(p, null, req('m', 'chat', 3)))).toBe('ALLOW');
    expect(code(two.decide(p, null, req('m', 'chat', 8)))).toBe('ALLOW');
    expect(code(two.decide(p, null, req('m', 'chat', 5)))).toBe('WEIGHT_OUT_OF_BAND');
  });

  it('refuses broken files: bad YAML, unknown fields, inverted bands, wrong types', () => {
    const bad = [
      'version: 1\nrules: [ {',
      'version: 2\nrules: []\n',
      'rules: []\n',
      'version: 1\nrules: [{ model: m, role: r, operation: o, min_weight: 5, max_weight: 4 }]\n',
      'version: 1\nrules: [{ model: m, role: r, operation: o, min_weight: 0, max_weight: 4, extra: 1 }]\n',
      'version: 1\nrules: [{ model: m, role: r, operation: o, min_weight: "0", max_weight: 4 }]\n',
      'version: 1\nrules: [{ model: "", role: r, operation: o, min_weight: 0, max_weight: 4 }]\n',
    ];
    for (const text of bad) expect(() => parsePolicy(text, 'p.yaml'), text).toThrow(/p\.yaml/);
    try {
      parsePolicy('{', 'p.json');
    } catch (err) {
      expect((err as { code: string }).code).toBe('POLICY_INVALID');
    }
  });

  it('reads JSON too', () => {
    const json = parsePolicy(
      JSON.stringify({
        version: 1,
        rules: [{ model: 'm', role: 'r', operation: 'o', min_weight: 0, max_weight: 1 }],
      }),
      'p.json',
    );
    expect(code(json.decide(principal({ roles: ['r'] }), null, req('m', 'o', 1)))).toBe('ALLOW');
  });
});
