import { RE2 } from 're2-wasm';
import { RedlineError } from '../../errors.ts';
import { parseRuleFile, type Rule, type RuleFile } from './rule-file.ts';

// Rules run on RE2 (re2-wasm): matching time is linear in the input whatever the pattern, so no
// rule and no prompt can make the stage backtrack. Crossing into wasm costs a few microseconds per
// call, so every rule is also folded into one alternation that answers "does anything match?" in a
// single pass; the rules are run one by one only on the (rare) texts where it does.

/** Flags of every rule: case-insensitive, Unicode (re2-wasm requires `u`). */
export const RULE_FLAGS = 'iu';

export interface CompiledRule extends Rule {
  readonly regex: RE2;
}

export class RuleSet {
  readonly version: number;
  readonly rules: readonly CompiledRule[];
  private readonly any: RE2 | null;

  constructor(file: RuleFile) {
    this.version = file.version;
    this.rules = file.rules.map((rule) => ({ ...rule, regex: compile(rule.id, rule.pattern, RULE_FLAGS) }));
    this.any = this.rules.length
      ? compile('(combined)', this.rules.map((r) => `(?:${r.pattern})`).join('|'), RULE_FLAGS)
      : null;
  }

  /** The rules matching anywhere in `text`, in file order. */
  match(text: string): CompiledRule[] {
    if (this.any === null || !this.any.test(text)) return [];
    return this.rules.filter((rule) => rule.regex.test(text));
  }

  /** `text` with every match of the given (strip) rules removed. */
  strip(text: string, rules: readonly CompiledRule[]): string {
    let out = text;
    for (const rule of rules) out = new RE2(rule.pattern, `g${RULE_FLAGS}`).replace(out, '');
    return out;
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
