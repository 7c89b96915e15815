/**
 * One bounded GET to SNS (a signing certificate, a subscription confirmation) through src/http.ts:
 * no redirects (undici's `request` never follows them; a 3xx is refused like any other non-200), a
 * cap on the body's size (an interceptor that aborts the response past it, whether or not a
 * Content-Length says so) and a deadline for the whole exchange.
 */
import { SesError } from '../errors.js';
import { sendHttp, type Dispatcher } from '../wire/http.js';

export interface SnsGetOptions {
  maxBytes: number;
  timeoutMs: number;
}

class TooLarge extends Error {
  override readonly name = 'TooLarge';
}

// undici 7's interceptor handler API (the handler an interceptor receives is already wrapped to it).
interface Controller {
  abort(reason: Error): void;
}
interface Handler {
  onRequestStart?(c: Controller, ctx: unknown): void;
  onRequestUpgrade?(c: Controller, status: number, headers: unknown, socket: unknown): void;
  onResponseStart?(c: Controller, status: number, headers: Record<string, string | string[] | undefined>, message?: string): void;
  onResponseData?(c: Controller, chunk: Uint8Array): void;
  onResponseEnd?(c: Controller, trailers: unknown): void;
  onResponseError?(c: Controller, err: Error): void;
}
type Dispatch = (opts: unknown, handler: Handler) => boolean;

function capBody(maxBytes: number) {
  return (dispatch: Dispatch): Dispatch =>
    (opts, handler) => {
      let received = 0;
      let aborted = false;
      const tooLarge = () => new TooLarge(`the answer is larger than ${maxBytes} bytes`);
      return dispatch(opts, {
        onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
        onRequestUpgrade: (c, s, h, sock) => handler.onRequestUpgrade?.(c, s, h, sock),
        onResponseStart: (c, status, headers, message) => {
          const length = Number(headers['content-length']);
          if (Number.isFinite(length) && length > maxBytes) {
            aborted = true;
            c.abort(tooLarge());
            return;
          }
          handler.onResponseStart?.(c, status, headers, message);
        },
        onResponseData: (c, chunk) => {
          if (aborted) return;
          received += chunk.length;
          if (received > maxBytes) {
            aborted = true;
            c.abort(tooLarge());
            return;
          }
          handler.onResponseData?.(c, chunk);
        },
        onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
        onResponseError: (c, err) => handler.onResponseError?.(c, err),
      });
    };
}

function causeChain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

/**
 * GETs `url`; resolves the body of a 200 answer. Rejects with a `SesError` of `code` that says why
 * (status, size, time, network), with the network error as its cause.
 */
export async function snsGet(dispatcher: Dispatcher, url: URL, options: SnsGetOptions, code: string, what: string): Promise<string> {
  const capped = (dispatcher as Dispatcher & { compose(...i: unknown[]): Dispatcher }).compose(capBody(options.maxBytes));
  const signal = AbortSignal.timeout(options.timeoutMs);
  let res;
  try {
    res = await sendHttp(capped, { method: 'GET', url, timeout: options.timeoutMs, signal, headers: { accept: '*/*' } });
  } catch (err) {
    const chain = causeChain(err);
    const reason = chain.some((e) => e instanceof TooLarge)
      ? `larger than ${options.maxBytes} bytes`
      : signal.aborted
        ? `no answer within ${options.timeoutMs} ms`
        : ((err as Error)?.message ?? String(err));
    throw new SesError(`Could not fetch the ${what} from ${url.host}: ${reason}`, { code, retryable: true, cause: err });
  }
  if (res.statusCode !== 200) {
    throw new SesError(
      `Could not fetch the ${what} from ${url.host}: HTTP ${res.statusCode}${res.statusCode >= 300 && res.statusCode < 400 ? ' (redirects are not followed)' : ''}`,
      {
        code,
        statusCode: res.statusCode,
        retryable: true,
      },
    );
  }
  return res.body;
}
