import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { RedlineError } from '../../errors.ts';

// The template registry file (see templates.yaml), validated at load: every placeholder in a
// template's text must be a declared slot and every slot must be used.

export const SLOT_TYPES = ['text', 'json', 'url', 'code', 'markdown'] as const;
export type SlotType = (typeof SLOT_TYPES)[number];

const templateSchema = z
  .object({
    id: z.string().min(1),
    description: z.string().optional(),
    slots: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.enum(SLOT_TYPES)),
    text: z.string().min(1),
  })
  .strict();

const registrySchema = z
  .object({ version: z.number().int().nonnegative(), templates: z.array(templateSchema) })
  .strict();

export type Template = z.infer<typeof templateSchema>;

export const PLACEHOLDER = /\{\{([a-z][a-z0-9_]*)\}\}/g;

export class TemplateRegistry {
  private readonly byId = new Map<string, Template>();

  constructor(
    readonly version: number,
    templates: Template[],
  ) {
    for (const t of templates) {
      if (this.byId.has(t.id)) throw new RedlineError('TEMPLATES_INVALID', `template ${t.id}: duplicate id`);
      const used = new Set([...t.text.matchAll(PLACEHOLDER)].map((m) => m[1]!));
      for (const name of used) {
        if (!(name in t.slots))
          throw new RedlineError('TEMPLATES_INVALID', `template ${t.id}: {{${name}}} is not a slot`);
      }
      for (const name of Object.keys(t.slots)) {
        if (!used.has(name))
          throw new RedlineError('TEMPLATES_INVALID', `template ${t.id}: slot ${name} is never used`);
      }
      this.byId.set(t.id, t);
    }
  }

  get(id: string): Template | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

export function parseTemplates(text: string): TemplateRegistry {
  const parsed = registrySchema.safeParse(YAML.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RedlineError('TEMPLATES_INVALID', `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return new TemplateRegistry(parsed.data.version, parsed.data.templates);
}

export function loadTemplates(file: string): TemplateRegistry {
  return parseTemplates(readFileSync(file, 'utf8'));
}
