import { Redis } from 'ioredis';

/**
 * Redis connections for a test file under a key prefix of its own; `cleanup()` deletes the
 * prefix's keys and closes every connection (call it from afterAll).
 */
export function redisUnderPrefix(name: string): {
  prefix: string;
  connect(): Redis;
  cleanup(): Promise<void>;
} {
  const prefix = `test:${name}:${process.pid}:${Date.now()}:`;
  const connections: Redis[] = [];
  const connect = () => {
    const r = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    connections.push(r);
    return r;
  };
  return {
    prefix,
    connect,
    async cleanup() {
      const r = connections[0] ?? connect();
      const keys = await r.keys(`${prefix}*`);
      if (keys.length > 0) await r.del(...keys);
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}
