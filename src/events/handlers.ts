/**
 * The receiver where users already are. Both answer 200 for a handled or duplicate message, 400 for a
 * refused one (nothing was processed), 500 when `onEvent` (or the seen store, or the certificate
 * fetch) failed so that SNS delivers again; 405 for anything but POST.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusOf, SnsCodes, snsError } from './errors.js';
import type { HandleResult, SesEventReceiver } from './receiver.js';

type Receiver = Pick<SesEventReceiver, 'handle' | 'maxBodyBytes' | 'logger'>;

/** A request as Express, Koa and node:http give it; `body` when a body parser already read it. */
export type NodeRequest = IncomingMessage & { body?: unknown };
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: (err?: unknown) => void) => void;
export type FetchHandler = (request: Request) => Promise<Response>;

interface Answer {
  status: number;
  text: string;
}

function answerFor(result: HandleResult): Answer {
  return { status: 200, text: result.status };
}

function answerForError(err: unknown): Answer {
  const status = httpStatusOf(err);
  const e = err as { code?: string; message?: string };
  // A refusal says why (it holds nothing secret); the user's own failure is not echoed.
  return { status, text: status === 400 ? `${e.code}: ${e.message}` : 'The event could not be handled; SNS will retry' };
}

async function run(receiver: Receiver, body: () => Promise<string | Uint8Array | Record<string, unknown>>): Promise<Answer> {
  try {
    return answerFor(await receiver.handle(await body()));
  } catch (err) {
    return answerForError(err);
  }
}

const tooLarge = (max: number) => snsError(SnsCodes.MALFORMED, `The body is larger than ${max} bytes`);

function declaredLength(value: string | null | undefined, max: number): void {
  if (value != null && Number(value) > max) throw tooLarge(max);
}

function readNodeBody(req: NodeRequest, max: number): Promise<string | Uint8Array | Record<string, unknown>> {
  const parsed = req.body;
  // A body parser ran first: text/raw parsers give a string or a Buffer, a JSON parser an object.
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) return Promise.resolve(parsed);
  if (parsed && typeof parsed === 'object' && Object.keys(parsed).length > 0) return Promise.resolve(parsed as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    declaredLength(req.headers['content-length'], max);
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and dropped, and the refusal sent once the request is over:
    // answering mid-upload makes Node close the socket under a client still writing.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.once('end', () => (size > max ? reject(tooLarge(max)) : resolve(Buffer.concat(chunks))));
    req.once('error', reject);
  });
}

export function nodeHandler(receiver: Receiver): NodeHandler {
  return (req, res) => {
    const send = ({ status, text }: Answer) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      // Answered once the request is read, so that the connection stays usable.
      req.once('end', () => send({ status: 405, text: 'POST only' }));
      req.resume();
      return;
    }
    void run(receiver, () => readNodeBody(req, receiver.maxBodyBytes)).then(send);
  };
}

async function readFetchBody(request: Request, max: number): Promise<Uint8Array> {
  declaredLength(request.headers.get('content-length'), max);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export function fetchHandler(receiver: Receiver): FetchHandler {
  return async (request) => {
    if (request.method !== 'POST') return new Response('POST only', { status: 405, headers: { allow: 'POST' } });
    const { status, text } = await run(receiver, () => readFetchBody(request, receiver.maxBodyBytes));
    return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}
