import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../../infra/config/load.ts';
import { mintToken, parseTtl, readPrivateJwk } from '../../pipeline/auth/dev-keys.ts';
import { TIERS, type Tier } from '../../schemas/types.ts';

const list = (value: string): string[] => {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
};

const weightLevel = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
};

const first = (value: string | string[]): string => (Array.isArray(value) ? value[0]! : value);

interface MintFlags {
  key: string;
  sub: string;
  tenant: string;
  roles: string[];
  models?: string[];
  weightLevel?: number;
  tier?: Tier;
  ttl: string;
  issuer?: string;
  audience?: string;
  config?: string;
}

export function register(program: Command): void {
  const token = program.command('token').description('development tokens');
  token
    .command('mint')
    .description(
      "print a signed JWT with redline's claims (sub, tenant, roles, and optionally models, weight_level, tier); issuer and audience default to the config's auth.issuer / auth.audience",
    )
    .requiredOption('--key <file>', 'private signing JWK (from `redline keys generate`)')
    .requiredOption('--sub <subject>', 'subject (the caller)')
    .requiredOption('--tenant <tenant>', 'tenant the token belongs to')
    .requiredOption('--roles <r1,r2>', 'comma-separated roles', list)
    .option('--models <g1,g2>', 'comma-separated model globs the token may use', list)
    .option('--weight-level <w>', 'highest model weight the caller may use', weightLevel)
    .addOption(new Option('--tier <tier>', 'scheduling tier').choices(TIERS))
    .option('--ttl <span>', 'lifetime, e.g. 90s, 10m, 2h, 1d', '10m')
    .option('--issuer <iss>', 'iss claim (default: config auth.issuer)')
    .option('--audience <aud>', 'aud claim (default: config auth.audience)')
    .option('-c, --config <file>', 'config file (default: redline.config.yaml|yml|json, or $REDLINE_CONFIG)')
    .action(async (opts: MintFlags) => {
      const auth = loadConfig({ file: opts.config }).auth;
      const jwt = await mintToken(readPrivateJwk(opts.key), {
        sub: opts.sub,
        tenant: opts.tenant,
        roles: opts.roles,
        ...(opts.models ? { models: opts.models } : {}),
        ...(opts.weightLevel !== undefined ? { weightLevel: opts.weightLevel } : {}),
        ...(opts.tier ? { tier: opts.tier } : {}),
        ttlSec: parseTtl(opts.ttl),
        issuer: opts.issuer ?? first(auth.issuer),
        audience: opts.audience ?? first(auth.audience),
      });
      console.log(jwt);
    });
}
