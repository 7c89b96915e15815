/**
 * The receiver where users already are. Both answer 200 for a handled or duplicate message, and for a
 * refusal the HTTP status of its code (src/events/errors.ts: 400 refused and nothing processed, 500
 * certificate or subscription GET failed, 503 still being handled); 500 when `onEvent` (or the seen
 * store) failed, so that SNS delivers again; 405 for anything but POST.
 *
 * The Node handler never waits on a request stream that has already ended: a body parser (Express's
 * `express.json()`, Fastify's content-type parsers) may have read it. A parsed body of any type on
 * `req.body` is used; with none, an unread stream is read; a stream already read with no `req.body`
 * is refused (400). Past `maxBodyBytes` the rest is read and dropped up to as many bytes again (so that
 * the client gets its answer on a usable connection), and beyond that the request is destroyed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusOf, SnsCodes, snsError } from './errors.js';
import type { HandleBody, HandleResult, ReceiverLike } from './result.js';

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
  return { status, text: status === 400 || status === 503 ? `${e.code}: ${e.message}` : 'The event could not be handled; SNS will retry' };
}

async function run(receiver: ReceiverLike, body: () => Promise<HandleBody>): Promise<Answer> {
  try {
    return answerFor(await receiver.handle(await body()));
  } catch (err) {
    return answerForError(err);
  }
}

const tooLarge = (max: number) => snsError(SnsCodes.MALFORMED, `The body is larger than ${max} bytes`);

function declaredLength(value: string | null | undefined, max: number): void {
  if (value !== null && value !== undefined && Number(value) > max) throw tooLarge(max);
}

/** True when the stream can give no more data: its end was read, or it was destroyed. */
const streamIsOver = (req: IncomingMessage) => req.readableEnded || req.destroyed;

interface Reading {
  /** Set when the request was cut off (too much data): answer with `connection: close`. */
  cut: boolean;
}

/**
 * Reads the request to its end, at most `max` bytes kept. Past `max`, up to `max` more bytes are read
 * and dropped (the refusal then goes out on a usable connection); past that, or when Content-Length
 * says more than twice `max`, reading stops (`reading.cut`: the refusal goes out with
 * `connection: close` and the request is destroyed once it is sent). Settles in every case: end,
 * error, close, cut.
 */
function readStream(req: IncomingMessage, max: number, reading: Reading): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number(req.headers['content-length']) > max;
    const done = (settle: () => void) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size <= max) {
        chunks.push(chunk);
        return;
      }
      over = true;
      chunks.length = 0;
      if (size > 2 * max) cut();
    };
    // Stop reading (the socket is paused, then closed once the refusal is sent: see nodeHandler).
    const cut = () => {
      reading.cut = true;
      req.pause();
      done(() => reject(tooLarge(max)));
    };
    const onEnd = () => done(() => (over ? reject(tooLarge(max)) : resolve(Buffer.concat(chunks))));
    const onClose = () => done(() => reject(snsError(SnsCodes.MALFORMED, 'The request ended before its body was complete')));
    const onError = (err: unknown) => done(() => reject(snsError(SnsCodes.MALFORMED, 'The request body could not be read', err)));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onError);
    // A Content-Length larger than twice the limit: refuse now rather than read what would be dropped.
    if (Number(req.headers['content-length']) > 2 * max) cut();
  });
}

const isParsedBody = (v: unknown): v is HandleBody =>
  typeof v === 'string' || v instanceof Uint8Array || (v !== null && typeof v === 'object');

async function readNodeBody(req: NodeRequest, max: number, reading: Reading): Promise<HandleBody> {
  const parsed = req.body;
  if (streamIsOver(req)) {
    // Something (a body parser, a framework) read the stream first: its result, of whatever type, is
    // all there is (handle() refuses what is not an SNS message).
    if (parsed !== undefined) return parsed as HandleBody;
    throw snsError(
      SnsCodes.MALFORMED,
      'The request body was already read by something before this handler and is not on req.body: mount the handler before body parsers, or pass the parsed body as req.body',
    );
  }
  // Express 4's body parsers leave `{}` on req.body when they did not read the stream (another
  // content type, and SNS sends text/plain): an empty object or array on an unread stream is not the body.
  const empty = parsed !== null && typeof parsed === 'object' && !(parsed instanceof Uint8Array) && Object.keys(parsed).length === 0;
  if (isParsedBody(parsed) && !empty) {
    req.resume();
    return parsed;
  }
  return readStream(req, max, reading);
}

/** Reads and drops a body the handler does not want (not a POST), bounded like `readStream`. */
function drain(req: IncomingMessage, max: number, reading: Reading): Promise<void> {
  if (streamIsOver(req)) return Promise.resolve();
  return readStream(req, max, reading).then(
    () => undefined,
    () => undefined,
  );
}

export function nodeHandler(receiver: ReceiverLike): NodeHandler {
  return (req, res) => {
    const reading: Reading = { cut: false };
    const send = ({ status, text }: Answer) => {
      if (res.headersSent || res.writableEnded) return;
      const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
      if (status === 405) headers.allow = 'POST';
      if (reading.cut) {
        headers.connection = 'close';
        res.once('finish', () => req.destroy());
      }
      res.writeHead(status, headers);
      res.end(text);
    };
    if (req.method !== 'POST') {
      // Answered once the request is read (bounded), so that the connection stays usable.
      void drain(req, receiver.maxBodyBytes, reading).then(() => send({ status: 405, text: 'POST only' }));
      return;
    }
    void run(receiver, () => readNodeBody(req, receiver.maxBodyBytes, reading)).then(send);
  };
}

async function readFetchBody(request: Request, max: number): Promise<Uint8Array> {
  declaredLength(request.headers.get('content-length'), max);
  if (!request.body) return new Uint8Array();
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
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

export function fetchHandler(receiver: ReceiverLike): FetchHandler {
  return async (request) => {
    if (request.method !== 'POST') return new Response('POST only', { status: 405, headers: { allow: 'POST' } });
    const { status, text } = await run(receiver, () => readFetchBody(request, receiver.maxBodyBytes));
    return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}
