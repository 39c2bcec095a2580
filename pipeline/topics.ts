import type { RedlineConfig } from '../infra/config/schema.ts';

/** Logical topic names of DESIGN.md's flow; the configured prefix (default `redline.`) is prepended. */
export const LOGICAL_TOPICS = [
  'requests',
  'authorized',
  'sanitized',
  'cleared',
  'rejected',
  'quarantine',
  'results',
  'spans',
  'alerts',
  'dlq',
  'rules',
] as const;
export type LogicalTopic = (typeof LOGICAL_TOPICS)[number];

export function topicName(config: Pick<RedlineConfig, 'topics'>, logical: LogicalTopic): string {
  return `${config.topics.prefix}${logical}`;
}
