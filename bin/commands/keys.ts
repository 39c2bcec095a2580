import { type Command, Option } from 'commander';
import { ASYMMETRIC_ALGORITHMS } from '../../pipeline/auth/config.ts';
import { generateSigningKey, type SigningAlgorithm } from '../../pipeline/auth/dev-keys.ts';

export function register(program: Command): void {
  const keys = program.command('keys').description('signing keys for development tokens');
  keys
    .command('generate')
    .description(
      'write a signing key pair: DIR/signing-key.jwk.json (private, mode 0600) and DIR/jwks.json (public; an existing JWKS keeps its keys, so this also rotates). Point auth.jwksFile at the JWKS and `token mint --key` at the private key.',
    )
    .requiredOption('--out <dir>', 'directory to write into (created if missing)')
    .addOption(new Option('--alg <alg>', 'signing algorithm').choices(ASYMMETRIC_ALGORITHMS).default('ES256'))
    .option('--force', 'replace an existing signing key', false)
    .action(async (opts: { out: string; alg: SigningAlgorithm; force: boolean }) => {
      const key = await generateSigningKey(opts.out, { alg: opts.alg, force: opts.force });
      console.log(`kid:         ${key.kid} (${key.alg})`);
      console.log(`private key: ${key.privateKeyFile}`);
      console.log(`jwks:        ${key.jwksFile} (${key.jwksKeys} key${key.jwksKeys === 1 ? '' : 's'})`);
    });
}
