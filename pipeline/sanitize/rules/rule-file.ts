import YAML from 'yaml';
import { z } from 'zod';
import { RedlineError } from '../../errors.ts';

// The versioned rule file's shape (YAML or JSON). Validated up front: a file with a bad rule is
// refused whole, with the rule's id, and the last good rule set stays in force.

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'ids are lower-case, dot or dash separated'),
    description: z.string().optional(),
    pattern: z.string().min(1),
    languages: z.array(z.string().min(2)).min(1),
    severity: z.enum(['low', 'medium', 'high']),
    action: z.enum(['reject', 'flag', 'strip']),
  })
  .strict();

export const ruleFileSchema = z
  .object({
    version: z.number().int().nonnegative(),
    rules: z.array(ruleSchema),
  })
  .strict();

export type Rule = z.infer<typeof ruleSchema>;
export type RuleFile = z.infer<typeof ruleFileSchema>;

/** Parses and validates a rule file's text. Throws RULES_INVALID (with the offending rule's id). */
export function parseRuleFile(text: string): RuleFile {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    throw new RedlineError('RULES_INVALID', `rule file does not parse: ${(err as Error).message}`);
  }
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const index = issue.path[0] === 'rules' ? issue.path[1] : undefined;
    const rules = (raw as { rules?: Array<{ id?: unknown }> } | null)?.rules;
    const id = typeof index === 'number' ? String(rules?.[index]?.id ?? `#${index}`) : null;
    throw new RedlineError(
      'RULES_INVALID',
      `${id ? `rule ${id}: ` : ''}${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
  }
  const seen = new Set<string>();
  for (const rule of parsed.data.rules) {
    if (seen.has(rule.id)) throw new RedlineError('RULES_INVALID', `rule ${rule.id}: duplicate id`);
    seen.add(rule.id);
  }
  return parsed.data;
}
