// nodeHandler and request streams someone else may already have read: Express's JSON parser, a
// framework that consumed req (Fastify's req.raw), bodies that never end, and non-POST requests. Each
// request must be answered; none may wait on a stream that has ended.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesEventReceiver, type SesEvent } from '../../src/events/index.js';
import { TOPIC, startFakeSns, type FakeSns, bouncePayload } from './support/fake-sns.js';

/** `expect.stringMatching`, typed: an asymmetric matcher that stands for a string. */
const matching = (pattern: RegExp): unknown => expect.stringMatching(pattern);

// Express without its type package (not installed): only what this test uses.
type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void;
  use(m: Middleware): void;
  post(path: string, h: (req: IncomingMessage, res: ServerResponse) => void): void;
}
interface Express {
  (): ExpressApp;
  json(o?: { type?: () => boolean }): Middleware;
  raw(o?: { type?: () => boolean }): Middleware;
}
let express: Express;

let sns: FakeSns;
beforeAll(async () => {
  sns = await startFakeSns();
  const specifier = 'express';
  express = ((await import(specifier)) as { default: Express }).default;
});
afterAll(async () => {
  await sns?.close();
});

const bounce = bouncePayload;

function receiver(maxBodyBytes?: number) {
  const events: SesEvent[] = [];
  const r = new SesEventReceiver({
    topicArns: [TOPIC],
    onEvent: (e) => void events.push(e),
    isSnsUrl: (u) => sns.isSnsUrl(u),
    dispatcher: sns.dispatcher,
    ...(maxBodyBytes !== undefined && { maxBodyBytes }),
  });
  return { r, events };
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, fn: (port: number) => Promise<void>): Promise<void> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

type Outcome = { status: number; text: string } | { error: string };

/** One request; `body` a string, or a generator of chunks written as long as the server reads. */
function send(port: number, method: string, body: string | (() => Buffer), headers: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (o: Outcome) => {
      if (!settled) {
        settled = true;
        resolve(o);
      }
    };
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path: '/', headers: { 'content-type': 'text/plain; charset=UTF-8', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => finish({ status: res.statusCode!, text }));
        res.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
      },
    );
    req.on('error', (e) => finish({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    if (typeof body === 'string') {
      req.end(body);
      return;
    }
    // An endless body: write whenever the socket drains, until the server answers or closes.
    const pump = () => {
      while (!settled && !req.destroyed && req.write(body()));
    };
    req.on('drain', pump);
    pump();
  });
}

describe('nodeHandler and a body already read', () => {
  it('answers 400 ESNSMALFORMED when express.json() parsed {} or [] (never waits on the ended stream)', async () => {
    const { r } = receiver();
    const app = express();
    app.use(express.json());
    app.post('/', r.nodeHandler());
    await serve(app, async (port) => {
      const answers = await Promise.all([
        send(port, 'POST', '{}', { 'content-type': 'application/json' }),
        send(port, 'POST', '[]', { 'content-type': 'application/json' }),
      ]);
      expect(answers).toEqual([
        { status: 400, text: matching(/^ESNSMALFORMED/) },
        { status: 400, text: matching(/^ESNSMALFORMED/) },
      ]);
    });
  });

  it('handles an SNS message express.json() parsed (an object on req.body, the stream ended)', async () => {
    const { r, events } = receiver();
    const app = express();
    app.use(express.json({ type: () => true }));
    app.post('/', r.nodeHandler());
    await serve(app, async (port) => {
      expect(await send(port, 'POST', JSON.stringify(sns.signed({ Message: bounce('express-json') })))).toEqual({
        status: 200,
        text: 'event',
      });
    });
    expect(events.map((e) => e.messageId)).toEqual(['express-json']);
  });

  it('reads the stream itself when a JSON parser skipped a text/plain request (SNS sends text/plain)', async () => {
    const { r, events } = receiver();
    const app = express();
    app.use(express.json());
    app.post('/', r.nodeHandler());
    await serve(app, async (port) => {
      expect(await send(port, 'POST', JSON.stringify(sns.signed({ Message: bounce('skipped') })))).toEqual({ status: 200, text: 'event' });
    });
    expect(events).toHaveLength(1);
  });

  it('answers 400 when a framework read req to its end and left no req.body (Fastify req.raw); takes req.body when given', async () => {
    const { r, events } = receiver();
    const handler = r.nodeHandler();
    let attach = false;
    await serve(
      (req, res) => {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (c) => (body += c));
        req.on('end', () => handler(attach ? Object.assign(req, { body }) : req, res));
      },
      async (port) => {
        const m = () => JSON.stringify(sns.signed({ Message: bounce('fastify') }));
        const lost = await send(port, 'POST', m());
        expect(lost).toMatchObject({ status: 400, text: matching(/^ESNSMALFORMED: The request body was already read/) });
        attach = true;
        expect(await send(port, 'POST', m())).toEqual({ status: 200, text: 'event' });
      },
    );
    expect(events).toHaveLength(1);
  });

  it('takes a parsed body of any type: a Buffer from a raw parser', async () => {
    const { r, events } = receiver();
    const app = express();
    app.use(express.raw({ type: () => true }));
    app.post('/', r.nodeHandler());
    await serve(app, async (port) => {
      expect(await send(port, 'POST', JSON.stringify(sns.signed({ Message: bounce('raw-buffer') })))).toEqual({
        status: 200,
        text: 'event',
      });
    });
    expect(events).toHaveLength(1);
  });
});

describe('nodeHandler and bodies that do not end', () => {
  it('stops reading an endless POST body past the limit and answers or closes (never reads forever)', async () => {
    const { r } = receiver(4096);
    let reqClosed = false;
    const handler = r.nodeHandler();
    await serve(
      (req, res) => {
        req.once('close', () => (reqClosed = true));
        handler(req, res);
      },
      async (port) => {
        const outcome = await send(port, 'POST', () => Buffer.alloc(16 * 1024, 0x78));
        // Either the 400 arrived before the connection was cut, or the cut came first.
        if ('status' in outcome) expect(outcome).toMatchObject({ status: 400, text: matching(/^ESNSMALFORMED/) });
        else expect(outcome.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      },
    );
    expect(reqClosed).toBe(true);
  });

  it('answers 400 on a usable connection to a body a little over the limit', async () => {
    const { r } = receiver(4096);
    await serve(r.nodeHandler(), async (port) => {
      expect(await send(port, 'POST', 'x'.repeat(6000))).toMatchObject({
        status: 400,
        text: matching(/larger than 4096 bytes/),
      });
    });
  });

  it('answers 405 to a non-POST whose body was already read, and stops reading an endless one', async () => {
    const { r } = receiver(4096);
    const handler = r.nodeHandler();
    await serve(
      (req, res) => {
        if (req.method === 'PUT') {
          req.resume();
          req.on('end', () => handler(req, res));
        } else {
          handler(req, res);
        }
      },
      async (port) => {
        expect(await send(port, 'PUT', 'hello')).toEqual({ status: 405, text: 'POST only' });
        expect(await send(port, 'GET', '')).toEqual({ status: 405, text: 'POST only' });
        const endless = await send(port, 'PATCH', () => Buffer.alloc(16 * 1024, 0x78));
        if ('status' in endless) expect(endless.status).toBe(405);
        else expect(endless.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      },
    );
  });
});
