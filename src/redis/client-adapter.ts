/**
 * ioredis and node-redis (v4+) behind one small interface, recognised by shape: this package imports
 * neither; the user passes their own client in.
 */
import { createHash } from 'node:crypto';
import { LocalCodes, SesError } from '../errors.js';

export interface RedisCommands {
  /** Runs a Lua script (EVALSHA, falling back to EVAL when the server does not know it yet). */
  evalScript(script: string, keys: string[], args: string[]): Promise<unknown>;
  /** SET key value PX ms, optionally NX; resolves true when set. */
  setPx(key: string, value: string, ms: number, nx?: boolean): Promise<boolean>;
  get(key: string): Promise<string | null>;
}

interface IoRedisLike {
  evalsha(sha: string, numKeys: number, ...args: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
  set(key: string, value: string, ...args: Array<string | number>): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  set(key: string, value: string, options: { PX: number; NX?: boolean }): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

const sha1 = (script: string) => createHash('sha1').update(script).digest('hex');
const isNoScript = (err: unknown) => /NOSCRIPT/i.test(String((err as Error)?.message ?? err));

export function adaptRedisClient(client: unknown): RedisCommands {
  const c = client as Partial<IoRedisLike & NodeRedisLike> | null;
  if (c && typeof c.evalSha === 'function' && typeof c.eval === 'function') {
    const r = c as NodeRedisLike;
    return {
      async evalScript(script, keys, args) {
        try {
          return await r.evalSha(sha1(script), { keys, arguments: args });
        } catch (err) {
          if (!isNoScript(err)) throw err;
          return r.eval(script, { keys, arguments: args });
        }
      },
      async setPx(key, value, ms, nx) {
        return (await r.set(key, value, nx ? { PX: ms, NX: true } : { PX: ms })) === 'OK';
      },
      get: (key) => r.get(key),
    };
  }
  if (c && typeof c.evalsha === 'function' && typeof c.eval === 'function') {
    const r = c as IoRedisLike;
    return {
      async evalScript(script, keys, args) {
        try {
          return await r.evalsha(sha1(script), keys.length, ...keys, ...args);
        } catch (err) {
          if (!isNoScript(err)) throw err;
          return r.eval(script, keys.length, ...keys, ...args);
        }
      },
      async setPx(key, value, ms, nx) {
        return (await (nx ? r.set(key, value, 'PX', ms, 'NX') : r.set(key, value, 'PX', ms))) === 'OK';
      },
      get: (key) => r.get(key),
    };
  }
  throw new SesError('RedisRateLimiter needs an ioredis client or a node-redis (v4+) client', {
    code: LocalCodes.CONFIG,
    retryable: false,
  });
}
