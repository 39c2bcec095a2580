import type { Tier } from '../../schemas/types.ts';

// Redis keys of the limiters. The variable part comes last, so a tenant or model name containing
// ':' cannot collide with another key.
export const limitKeys = (prefix: string) => ({
  tenantBucket: (tier: Tier, tenant: string) => `${prefix}tenant:${tier}:${tenant}`,
  modelBucket: (model: string) => `${prefix}model:${model}`,
  /** The model's current admitted rate (req/s), written by the adaptive controller. */
  modelRate: (model: string) => `${prefix}model-rate:${model}`,
  /** The controller's state (JSON). */
  controller: (model: string) => `${prefix}ctl:${model}`,
  /** Held for evalIntervalMs by whichever process evaluates the model next. */
  controllerLock: (model: string) => `${prefix}ctl-lock:${model}`,
  /** One sliding-window slot of outcome counts. */
  healthSlot: (model: string, slot: number) => `${prefix}health:${model}:${slot}`,
});
