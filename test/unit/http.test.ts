// undici-modules.cjs loads undici modules by path (for start-up time): they must exist in the installed
// undici, and requests must work through our dispatcher and through a user's dispatcher built from
// undici's public entry.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, sendHttp } from '../../src/wire/http.js';

const require = createRequire(import.meta.url);
let server: Server;
let url: URL;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/path?q=1`);
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('http', () => {
  it('finds the undici modules it loads by path', () => {
    for (const path of [
      'undici/lib/dispatcher/agent.js',
      'undici/lib/dispatcher/env-http-proxy-agent.js',
      'undici/lib/api/api-request.js',
      'undici/lib/dispatcher/dispatcher.js',
    ]) {
      expect(typeof require(path)).toBe('function');
    }
    expect(typeof (require('undici/lib/api/index.js') as { connect: unknown }).connect).toBe('function');
  });

  it.each([
    ['its own dispatcher', () => createDispatcher({ env: {} })],
    ["a dispatcher from undici's public entry", () => new Agent()],
  ])('sends and reads a request through %s', async (_label, make) => {
    const dispatcher = make();
    try {
      const res = await sendHttp(dispatcher, { method: 'POST', url, body: Buffer.from('hello'), timeout: 5000 });
      expect(res).toMatchObject({ statusCode: 200, body: 'POST /path?q=1 hello' });
    } finally {
      await dispatcher.close();
    }
  });

  it('turns a refused connection into ECONNECTION with the system code as cause', async () => {
    const dispatcher = createDispatcher({ env: {} });
    try {
      await expect(sendHttp(dispatcher, { method: 'GET', url: new URL('http://127.0.0.1:9/'), timeout: 2000 })).rejects.toMatchObject({
        code: 'ECONNECTION',
        retryable: true,
      });
    } finally {
      await dispatcher.close();
    }
  });
});
