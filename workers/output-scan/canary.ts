import type { Detector, Finding } from './finding.ts';

// Canary tokens planted in system prompts: exact strings whose appearance in an output means the
// system prompt leaked. indexOf per canary (linear; the list is short).

export function canaryDetector(canaries: readonly string[]): Detector | null {
  const list = [...new Set(canaries.filter((c) => c.length > 0))];
  if (list.length === 0) return null;
  return {
    kind: 'canary',
    category: 'canary',
    reach: Math.max(...list.map((c) => c.length)),
    next(text: string, from: number): Finding | null {
      let best: Finding | null = null;
      for (const canary of list) {
        const start = text.indexOf(canary, from);
        if (start < 0) continue;
        const end = start + canary.length;
        if (!best || start < best.start || (start === best.start && end > best.end)) {
          best = { kind: 'canary', category: 'canary', start, end, open: false };
        }
      }
      return best;
    },
  };
}
