import { OutputScanner, outputScanConfigSchema } from '../workers/output-scan/index.ts';
import { secretDetectors, piiDetectors } from '../workers/output-scan/detectors.ts';
const scanner = new OutputScanner(outputScanConfigSchema.parse({}));
const cases: Record<string, (n: number) => string> = {
  eyj: (n) => 'eyJhbGci.'.repeat(n / 9),
  sk: (n) => 'sk-'.repeat(n / 3),
  local: (n) => 'a.b-c_d+e%'.repeat(n / 10),
};
for (const [name, make] of Object.entries(cases)) {
  for (const n of [100_000, 200_000, 400_000, 800_000, 1_600_000]) {
    const text = make(n);
    scanner.scan(text);
    const t = performance.now();
    for (let i = 0; i < 3; i++) scanner.scan(text);
    const per = {} as Record<string, string>;
    for (const d of [...secretDetectors(), ...piiDetectors()]) {
      const t2 = performance.now();
      let f = d.next(text, 0); let k = 0;
      while (f && k < 1e6) { f = d.next(text, f.end); k++; }
      const ms = performance.now() - t2;
      if (ms > 1) per[d.kind] = ms.toFixed(1);
    }
    console.log(name, n, ((performance.now() - t) / 3).toFixed(1), 'ms', JSON.stringify(per));
  }
}
