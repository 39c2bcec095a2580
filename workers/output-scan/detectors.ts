import { cardDetector } from './card.ts';
import { emailDetector } from './email.ts';
import type { Detector } from './finding.ts';
import { jwtDetector } from './jwt.ts';
import { privateKeyDetector } from './private-key.ts';
import { regexDetector } from './regex-detector.ts';

// The secret and PII detectors. Each regex is anchored on a one-char lookbehind so that it starts
// only at the beginning of a token, and all quantifiers are bounded (see regex-detector.ts).

/** A random-looking key body: some `-`/`_`-separated part of 16+ characters with a digit and a letter. */
function randomLooking(body: string): boolean {
  return body.split(/[-_]/).some((part) => part.length >= 16 && /[0-9]/.test(part) && /[A-Za-z]/.test(part));
}

export function secretDetectors(): Detector[] {
  return [
    // OpenAI (sk-, sk-proj-, sk-svcacct-) and Anthropic (sk-ant-) style keys.
    regexDetector({
      kind: 'api_key',
      category: 'secret',
      regex: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,256}/g,
      reach: 260,
      accept: (m) => randomLooking(m.slice(3)),
    }),
    regexDetector({
      kind: 'aws_access_key',
      category: 'secret',
      regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
      reach: 21,
    }),
    regexDetector({
      kind: 'github_token',
      category: 'secret',
      regex: /(?<![A-Za-z0-9_])g(?:h[pousr]_[A-Za-z0-9]{36,251}|ithub_pat_[A-Za-z0-9_]{22,244})/g,
      reach: 256,
    }),
    regexDetector({
      kind: 'slack_token',
      category: 'secret',
      regex: /(?<![A-Za-z0-9-])xox[abposr]-[A-Za-z0-9-]{10,250}/g,
      reach: 256,
      accept: (m) => /[0-9]/.test(m.slice(5)),
    }),
    regexDetector({
      kind: 'google_api_key',
      category: 'secret',
      regex: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
      reach: 40,
    }),
    privateKeyDetector(),
    jwtDetector(),
  ];
}

export function piiDetectors(): Detector[] {
  return [
    emailDetector(),
    regexDetector({
      kind: 'phone',
      category: 'pii',
      // +CC and 7..14 more digits with up to two separators between digits; or a national number
      // written in groups: (555) 123-4567, 555-123-4567, 020 7946 0958. Not the middle of a longer
      // grouped number (the two-char lookbehind and lookahead), so card numbers are not phones.
      regex:
        /(?<![A-Za-z0-9+])(?<![0-9][ .-])(?:\+[1-9](?:[ .()-]{0,2}[0-9]){7,14}|(?:\([0-9]{3}\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}|0[0-9]{2,4}[ .-][0-9]{3,4}[ .-][0-9]{3,4})(?![0-9])(?![ .-][0-9])/g,
      reach: 2 + 14 * 3 + 2,
    }),
    cardDetector(),
  ];
}
