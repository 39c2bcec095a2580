import { OutputScanner } from '../workers/output-scan/index.ts';
import { outputScanConfigSchema } from '../workers/output-scan/config.ts';
const s = new OutputScanner(outputScanConfigSchema.parse({ policy: { canary: 'redact' }, canaries: ['CANARY-7f3a9b2c'] }));
const text = `Sure! Key sk-proj-AbCdEf1234567890GhIjKlMn and AKIAIOSFODNN7EXAMPLE, ghp_${'a1B2'.repeat(9)}.
Mail bob.smith@example.co.uk or call (555) 123-4567 / +44 20 7946 0958. Card 4111 1111 1111 1111, 12/25; not 4111 1111 1111 1112.
jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB
-----END RSA PRIVATE KEY-----
leak CANARY-7f3a9b2c. sk-learn-is-a-nice-python-library-for-ml. order 2024-01-15 and 1234567890123.`;
const r = s.scan(text);
console.log(r.text, r.redactions);
for (const step of [1, 3, 7, 50]) {
  const st = s.stream(); let out = '';
  for (let i = 0; i < text.length; i += step) out += st.push(text.slice(i, i + step));
  out += st.finish();
  console.log(step, out === r.text);
}
