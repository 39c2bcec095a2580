import type { Finding } from '../../../schemas/types.ts';
import { FINDING, finding } from '../findings.ts';
import { foldConfusables } from './confusables.ts';
import { type DecodedLayer, type DecodeLimits, decodeLayers } from './decode.ts';
import { removeInvisible } from './invisible.ts';

export interface NormalizedText {
  /** NFKC, invisible characters removed: what the model may see. */
  text: string;
  /**
   * Every view the matchers look at, joined by newlines: the text, its confusable-folded form,
   * text hidden in tag characters and every decoded layer (each normalised and folded too).
   */
  matchText: string;
  /**
   * One view per source for the fingerprints and the detector: the folded text where folding
   * changed something (else the text), hidden tag text, and each decoded layer likewise. Half the
   * size of `matchText` for non-ASCII prompts, and immune to homoglyphs.
   */
  detectText: string;
  layers: DecodedLayer[];
  findings: Finding[];
  /** ENCODING_ABUSE detail when the decoding limits were passed. */
  abuse: string | null;
}

function clean(text: string): { text: string; folded: string | null; hidden: string[]; findings: Finding[] } {
  const invisible = removeInvisible(text);
  const nfkc = invisible.text.normalize('NFKC');
  const { folded, changed, mixedScriptWords } = foldConfusables(nfkc);
  const findings = invisible.findings;
  if (mixedScriptWords > 0) {
    findings.push(
      finding(
        FINDING.homoglyph,
        'medium',
        `${mixedScriptWords} word(s) mixing Latin with look-alike letters`,
      ),
    );
  }
  return { text: nfkc, folded: changed ? folded : null, hidden: invisible.hidden, findings };
}

export function normalizeText(input: string, limits: DecodeLimits): NormalizedText {
  const main = clean(input);
  const views: string[] = [main.text];
  const detect: string[] = [main.folded ?? main.text];
  if (main.folded !== null) views.push(main.folded);
  const findings = [...main.findings];
  for (const hidden of main.hidden) {
    views.push(hidden);
    detect.push(hidden);
  }
  const decoded = decodeLayers(
    main.hidden.length ? [main.text, ...main.hidden].join('\n') : main.text,
    limits,
  );
  findings.push(...decoded.findings);
  for (const layer of decoded.layers) {
    const c = clean(layer.text);
    views.push(c.text);
    detect.push(c.folded ?? c.text);
    if (c.folded !== null) views.push(c.folded);
    for (const h of c.hidden) {
      views.push(h);
      detect.push(h);
    }
  }
  return {
    text: main.text,
    matchText: views.length === 1 ? views[0]! : views.join('\n'),
    detectText: detect.length === 1 ? detect[0]! : detect.join('\n'),
    layers: decoded.layers,
    findings,
    abuse: decoded.abuse,
  };
}
