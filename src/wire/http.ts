/**
 * HTTP over undici: the kept-alive dispatcher (proxies from the environment) and one request whose
 * body is always consumed. Network failures become `SesError`s. Knows nothing of SES.
 * The only file that loads undici at run time.
 *
 * It loads undici's Agent and request modules directly rather than the package's main entry: the
 * entry loads every undici feature (fetch, WebSocket, caches, mocks) and costs about 60 ms more at
 * start-up, a large part of this package's cold start. The proxy agent (and the API methods it needs)
 * is loaded only when a proxy is configured. The requires live in undici-modules.cjs. undici 7 has no
 * exports map, so the paths resolve; the dependency is pinned to 7.30.x and test/unit/http.test.ts
 * checks them.
 */
import type { Dispatcher } from 'undici';
import { LocalCodes, SesError } from '../errors.js';
import type { HttpAnswer } from './http-answer.js';
import { abortError } from '../abort.js';
import undiciModules from './undici-modules.cjs';

const { Agent, request } = undiciModules;

export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Milliseconds for this attempt: connect, headers and body each. */
  timeout: number;
  signal?: AbortSignal;
}

export interface DispatcherOptions {
  /** Sockets per origin. Default: unlimited. */
  connections?: number;
  env?: NodeJS.ProcessEnv;
  /** Milliseconds to establish a connection (TCP and TLS). Default {@link MAX_CONNECT_TIMEOUT_MS}. */
  connectTimeout?: number;
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer };
}

const KEEP_ALIVE_MS = 60_000;
/** Connecting (TCP and TLS) takes at most this long, or the attempt's `timeout` when that is shorter. */
export const MAX_CONNECT_TIMEOUT_MS = 10_000;

function hasProxy(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

/**
 * The default dispatcher: a kept-alive pool; with `HTTPS_PROXY` / `HTTP_PROXY` set, a proxy agent
 * that honours `NO_PROXY`.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const env = options.env ?? process.env;
  const base = {
    connections: options.connections ?? null,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    connect: { timeout: options.connectTimeout ?? MAX_CONNECT_TIMEOUT_MS, ...options.tls },
  };
  if (hasProxy(env)) {
    const ProxyAgent = undiciModules.loadEnvHttpProxyAgent();
    return new ProxyAgent({
      ...base,
      httpProxy: env.HTTP_PROXY ?? env.http_proxy,
      httpsProxy: env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy,
      noProxy: env.NO_PROXY ?? env.no_proxy,
    });
  }
  return new Agent(base);
}

/** A short-lived, never-proxied agent for credential endpoints on the local network. */
export function createLocalAgent(connectTimeout: number): Dispatcher {
  return new Agent({ connect: { timeout: connectTimeout }, keepAliveTimeout: 10 });
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function describe(err: unknown): { code: string | undefined; message: string } {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return { code, message: typeof e?.message === 'string' ? e.message : String(err) };
}

/** Maps a failure of the request to a `SesError` with a stable code. */
function networkError(err: unknown, req: HttpRequest): SesError {
  if (err instanceof SesError) return err;
  if (req.signal?.aborted) return abortError(req.signal);
  const { code, message } = describe(err);
  const where = `${req.method} ${req.url.host}`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    // The dispatcher's connect timeout, not this attempt's: undici's message names it.
    return new SesError(`${where}: connecting timed out (${message})`, { code: LocalCodes.TIMEOUT, cause: err });
  }
  if (code && TIMEOUT_CODES.has(code)) {
    return new SesError(`${where} timed out after ${req.timeout} ms (${code})`, { code: LocalCodes.TIMEOUT, cause: err });
  }
  return new SesError(`${where} failed: ${code ? `${code} ` : ''}${message}`, { code: LocalCodes.CONNECTION, cause: err });
}

/** Sends one request and reads the whole answer. Never leaves a body unread. */
export async function sendHttp(dispatcher: Dispatcher, req: HttpRequest): Promise<HttpAnswer> {
  try {
    const res = await request.call(dispatcher, {
      origin: req.url.origin,
      path: req.url.pathname + req.url.search,
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
      headersTimeout: req.timeout,
      bodyTimeout: req.timeout,
    });
    try {
      const body = await res.body.text();
      return { statusCode: res.statusCode, headers: res.headers, body };
    } catch (err) {
      res.body.destroy();
      throw err;
    }
  } catch (err) {
    throw networkError(err, req);
  }
}

export type { Dispatcher };
