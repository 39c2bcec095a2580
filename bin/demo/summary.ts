import type { Outcome } from '../../pipeline/sdk/outcomes.ts';
import type { PlannedRequest } from './scenario.ts';

// The demo's closing account: every submitted request is a result, a rejection (by code) or held
// in quarantine; attack families are stopped or not; preemptions and alerts happened or not.

export interface DemoSummary {
  submitted: number;
  results: number;
  rejected: number;
  quarantined: number;
  missing: number;
  rejectionsByCode: Array<[string, number]>;
  byKind: Array<{
    kind: string;
    submitted: number;
    results: number;
    rejected: number;
    quarantined: number;
    missing: number;
  }>;
  attackFamilies: Array<{ family: string; submitted: number; stopped: number }>;
  preemptions: number;
  alerts: string[];
  accountedFor: boolean;
  allAttacksStopped: boolean;
  /** Ordinary requests (no attack) that a content check stopped or held: the false positives. */
  falsePositives: number;
  ordinary: number;
}

/** Codes of the content checks (sanitize and detect); ordinary traffic stopped by these is a false positive. */
const CONTENT_CODES = new Set([
  'RULE_MATCH',
  'FINGERPRINT_MATCH',
  'INJECTION_DETECTED',
  'ENCODING_ABUSE',
  'TEMPLATE_ESCAPE',
]);
const ORDINARY = new Set(['benign', 'batch', 'urgent', 'burst']);

const stopped = (o: Outcome | undefined) => o !== undefined && o.kind !== 'result';

export function summarise(
  planned: readonly PlannedRequest[],
  outcomes: ReadonlyMap<string, Outcome>,
  extra: { preemptions: number; alerts: string[] },
): DemoSummary {
  const codes = new Map<string, number>();
  const kinds = new Map<string, DemoSummary['byKind'][number]>();
  const families = new Map<string, { family: string; submitted: number; stopped: number }>();
  let results = 0;
  let rejected = 0;
  let quarantined = 0;
  let missing = 0;
  let falsePositives = 0;
  let ordinary = 0;
  for (const p of planned) {
    const o = outcomes.get(p.request.requestId);
    if (ORDINARY.has(p.kind)) {
      ordinary++;
      if (o?.kind === 'quarantined' || (o?.kind === 'rejected' && CONTENT_CODES.has(o.rejection.code)))
        falsePositives++;
    }
    const k = kinds.get(p.kind) ?? {
      kind: p.kind,
      submitted: 0,
      results: 0,
      rejected: 0,
      quarantined: 0,
      missing: 0,
    };
    k.submitted++;
    if (!o) {
      missing++;
      k.missing++;
    } else if (o.kind === 'result') {
      results++;
      k.results++;
    } else if (o.kind === 'rejected') {
      rejected++;
      k.rejected++;
      codes.set(o.rejection.code, (codes.get(o.rejection.code) ?? 0) + 1);
    } else {
      quarantined++;
      k.quarantined++;
    }
    kinds.set(p.kind, k);
    if (p.kind === 'attack' || p.kind === 'credential attack') {
      const f = families.get(p.label) ?? { family: p.label, submitted: 0, stopped: 0 };
      f.submitted++;
      if (stopped(o)) f.stopped++;
      families.set(p.label, f);
    }
  }
  const attackFamilies = [...families.values()];
  return {
    submitted: planned.length,
    results,
    rejected,
    quarantined,
    missing,
    rejectionsByCode: [...codes].sort((a, b) => b[1] - a[1]),
    byKind: [...kinds.values()],
    attackFamilies,
    preemptions: extra.preemptions,
    alerts: extra.alerts,
    accountedFor: missing === 0 && results + rejected + quarantined === planned.length,
    allAttacksStopped: attackFamilies.every((f) => f.stopped === f.submitted),
    falsePositives,
    ordinary,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '))
    .join('\n');
}

export function renderSummary(s: DemoSummary): string {
  const lines: string[] = [];
  lines.push('', '═══ redline demo: summary ═══', '');
  lines.push(
    table([
      ['traffic', 'sent', 'results', 'rejected', 'quarantined', 'missing'],
      ...s.byKind.map((k) => [
        k.kind,
        `${k.submitted}`,
        `${k.results}`,
        `${k.rejected}`,
        `${k.quarantined}`,
        `${k.missing}`,
      ]),
      ['total', `${s.submitted}`, `${s.results}`, `${s.rejected}`, `${s.quarantined}`, `${s.missing}`],
    ]),
  );
  lines.push(
    '',
    `accounted for: results ${s.results} + rejections ${s.rejected} + quarantined ${s.quarantined} = ${s.results + s.rejected + s.quarantined} of ${s.submitted} submitted ${s.accountedFor ? '✓' : '✗'}`,
  );
  lines.push('', 'rejections by reason code:');
  lines.push(
    table([['code', 'count'], ...s.rejectionsByCode.map(([c, n]) => [c, `${n}`])]).replace(/^/gm, '  '),
  );
  lines.push('', 'attack families:');
  lines.push(
    table([
      ['family', 'stopped'],
      ...s.attackFamilies.map((f) => [
        f.family,
        `${f.stopped}/${f.submitted} ${f.stopped === f.submitted ? '✓' : '✗'}`,
      ]),
    ]).replace(/^/gm, '  '),
  );
  lines.push(
    '',
    `false positives: ${s.falsePositives} of ${s.ordinary} ordinary requests stopped or held by a content check (rules, fingerprints, detector)`,
  );
  lines.push('', `preemptions: ${s.preemptions} ${s.preemptions > 0 ? '✓' : '✗'}`);
  lines.push(`alerts: ${s.alerts.length} ${s.alerts.length > 0 ? '✓' : '✗'}`);
  for (const a of s.alerts) lines.push(`  ${a}`);
  return lines.join('\n');
}
