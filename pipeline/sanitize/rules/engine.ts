import { RE2 } from 're2-wasm';
import { RedlineError } from '../../errors.ts';
import { parseRuleFile, type Rule, type RuleFile } from './rule-file.ts';

// Rules run on RE2 (re2-wasm): matching time is linear in the input whatever the pattern, so no
// rule and no prompt can make the stage backtrack. Crossing into wasm costs a few microseconds per
// call, so every rule is also folded into one alternation that answers "does anything match?" in a
// single pass; the rules are run one by one only on the (rare) texts where it does.

/** Flags of every rule: case-insensitive, Unicode (re2-wasm requires `u`). */
export const RULE_FLAGS = 'iu';

// re2-wasm runs in a fixed 16 MB wasm heap and copies each input into it as UTF-8, so an input
// of several MB aborts the module. Long texts are matched in windows that overlap by more than
// any rule's plausible match, which keeps each copy small; a match longer than the overlap that
// straddles two windows is missed (the default rules match a few hundred characters at most).
const WINDOW = 256 * 1024;
const OVERLAP = 4 * 1024;

function windows(text: string): string[] {
  if (text.length <= WINDOW + OVERLAP) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += WINDOW) out.push(text.slice(i, i + WINDOW + OVERLAP));
  return out;
}

/** re2-wasm's compiled programs live in the wasm heap until freed; its handle has `delete()`. */
function free(re: RE2): void {
  (re as unknown as { wrapper: { delete(): void } }).wrapper.delete();
}

export interface CompiledRule extends Rule {
  readonly regex: RE2;
  /** The global form used to strip matches (strip rules only). */
  readonly stripper: RE2 | null;
}

export class RuleSet {
  readonly version: number;
  readonly rules: readonly CompiledRule[];
  private any: RE2 | null;

  constructor(file: RuleFile) {
    this.version = file.version;
    const compiled: CompiledRule[] = [];
    this.rules = compiled;
    this.any = null;
    try {
      for (const rule of file.rules) {
        const regex = compile(rule.id, rule.pattern, RULE_FLAGS);
        compiled.push({ ...rule, regex, stripper: null });
        if (rule.action === 'strip') {
          compiled[compiled.length - 1] = {
            ...rule,
            regex,
            stripper: compile(rule.id, rule.pattern, `g${RULE_FLAGS}`),
          };
        }
      }
      if (compiled.length) {
        this.any = compile('(combined)', compiled.map((r) => `(?:${r.pattern})`).join('|'), RULE_FLAGS);
      }
    } catch (err) {
      this.dispose(); // a refused file must not leave its compiled rules in the wasm heap
      throw err;
    }
  }

  /** The rules matching anywhere in `text`, in file order. */
  match(text: string): CompiledRule[] {
    const any = this.any;
    if (any === null) return [];
    const hit = windows(text).filter((w) => any.test(w));
    if (hit.length === 0) return [];
    return this.rules.filter((rule) => hit.some((w) => rule.regex.test(w)));
  }

  /** `text` with every match of the given (strip) rules removed (window by window on long texts). */
  strip(text: string, rules: readonly CompiledRule[]): string {
    let out = text;
    for (const rule of rules) {
      const stripper = rule.stripper;
      if (stripper === null) continue;
      if (out.length <= WINDOW) {
        out = stripper.replace(out, '');
        continue;
      }
      let joined = '';
      for (let i = 0; i < out.length; i += WINDOW) joined += stripper.replace(out.slice(i, i + WINDOW), '');
      out = joined;
    }
    return out;
  }

  /** Frees the compiled programs; the set must not be used afterwards. */
  dispose(): void {
    for (const rule of this.rules) {
      free(rule.regex);
      if (rule.stripper) free(rule.stripper);
    }
    if (this.any) free(this.any);
  }
}

function compile(id: string, pattern: string, flags: string): RE2 {
  try {
    return new RE2(pattern, flags);
  } catch (err) {
    throw new RedlineError(
      'RULES_INVALID',
      `rule ${id}: RE2 cannot compile the pattern: ${(err as Error).message}`,
    );
  }
}

/** Parses, validates and compiles a rule file's text. Throws RULES_INVALID naming the bad rule. */
export function loadRuleSet(text: string): RuleSet {
  return new RuleSet(parseRuleFile(text));
}
