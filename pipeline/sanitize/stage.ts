import { Redis } from 'ioredis';
import type { AuthorizedRequest, SanitizedRequest } from '../../schemas/types.ts';
import type { StageDefinition, StageFactory } from '../stage.ts';
import { followConfirmedAttacks } from './confirmed-attacks.ts';
import { createSanitizeFromConfig } from './factory.ts';
import { watchRuleFile } from './rules/rule-store.ts';
import { followRulesTopic } from './rules/rules-topic.ts';

// The sanitize stage for the shared runner: authorized → sanitized (rejections to `rejected`).
// Besides its core it keeps the rules fresh (file watch, `rules` topic) and the fingerprint corpus
// growing (confirmed attacks in Redis); close() stops all three.
const createSanitizeStage: StageFactory = async ({ config, logger }) => {
  const log = logger.child({ stage: 'sanitize' });
  const { core, rules, fingerprints } = createSanitizeFromConfig(config);
  log.info({ rules: rules.current().version, corpus: fingerprints.size }, 'sanitize core ready');

  const stops: Array<() => unknown> = [watchRuleFile(rules, config.sanitize.rulesFile, log)];
  if (config.sanitize.rulesFromTopic) {
    try {
      stops.push(await followRulesTopic(config, rules, log));
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'rules topic unavailable; using the rule file only');
    }
  }
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  stops.push(
    followConfirmedAttacks(
      redis,
      config.sanitize.redisKeyPrefix ?? config.topics.prefix,
      fingerprints,
      log,
      config.sanitize.confirmedPollMs,
    ),
    () => redis.quit().catch(() => redis.disconnect()),
  );

  const definition: StageDefinition<AuthorizedRequest, SanitizedRequest> = {
    name: 'sanitize',
    input: 'authorized',
    inputType: 'AuthorizedRequest',
    output: 'sanitized',
    outputType: 'SanitizedRequest',
    core,
    async close() {
      for (const stop of stops.reverse()) await stop();
    },
  };
  return definition as StageDefinition;
};

export default createSanitizeStage;
