/**
 * The signing certificates, fetched once per URL and kept for a while. SNS rotates its certificate by
 * signing with a new one under a new URL, so a new URL is a new fetch; an entry also expires after
 * `ttlMs`. Concurrent messages naming the same URL share one fetch.
 *
 * Three separate bounds, so that messages naming junk URLs cannot push the real certificate out:
 * - certificates that were fetched and read are kept (at most `maxEntries`, least recently used dropped);
 * - fetches under way are at most `maxPending` distinct URLs; more is refused as retryable (`ESNSCERT`);
 * - a URL the SNS host refused (HTTP 4xx: there is no such certificate) is remembered for `refusedTtlMs`
 *   and refused without a fetch (`ESNSSIGNATURE`: a message naming it is not from SNS). A network
 *   failure or 5xx is not remembered: the next message fetches again (SNS retries after our 500).
 */
import { SesError } from '../errors.js';
import type { Dispatcher } from '../wire/http.js';
import { SnsCodes, snsError } from './errors.js';
import { snsGet } from './sns-get.js';
import { readCertificate, type SigningCertificate } from './signature.js';

export interface CertificateCacheOptions {
  dispatcher: Dispatcher;
  /** Largest certificate accepted, bytes. Default 10 KiB. */
  maxBytes?: number;
  /** Time for the whole fetch, ms. Default 5000. */
  timeoutMs?: number;
  /** How long a fetched certificate is kept, ms. Default 24 hours. */
  ttlMs?: number;
  /** Certificates kept at most (least recently used dropped first). Default 20. */
  maxEntries?: number;
  /** Distinct certificate URLs fetched at the same time at most. Default 10. */
  maxPending?: number;
  /** How long a URL answered 4xx is refused without a fetch, ms. Default 5 minutes. */
  refusedTtlMs?: number;
  /** URLs answered 4xx remembered at most. Default 1000. */
  maxRefused?: number;
}

interface Entry {
  at: number;
  cert: SigningCertificate;
}

export class CertificateCache {
  private readonly certs = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<SigningCertificate>>();
  private readonly refused = new Map<string, { at: number; error: SesError }>();
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxPending: number;
  private readonly refusedTtlMs: number;
  private readonly maxRefused: number;
  /** How many certificate fetches were started (for tests and logs). */
  fetches = 0;

  constructor(private readonly options: CertificateCacheOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 20;
    this.maxPending = options.maxPending ?? 10;
    this.refusedTtlMs = options.refusedTtlMs ?? 5 * 60_000;
    this.maxRefused = options.maxRefused ?? 1000;
  }

  /** The certificate at `url` (already checked by the caller to be an allowed SNS URL). */
  get(url: URL): Promise<SigningCertificate> {
    const key = url.href;
    const now = Date.now();
    const hit = this.certs.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      // Least recently used last out.
      this.certs.delete(key);
      this.certs.set(key, hit);
      return Promise.resolve(hit.cert);
    }
    if (hit) this.certs.delete(key);
    const no = this.refused.get(key);
    if (no && now - no.at < this.refusedTtlMs)
      return Promise.reject(snsError(SnsCodes.SIGNATURE, no.error.message, no.error, no.error.statusCode));
    if (no) this.refused.delete(key);
    const running = this.pending.get(key);
    if (running) return running;
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(
        snsError(
          SnsCodes.CERT,
          `Too many signing certificate fetches at once (${this.maxPending}); not fetching ${url.host}${url.pathname} now`,
        ),
      );
    }
    this.fetches++;
    const cert = this.fetch(url).then(
      (c) => {
        this.pending.delete(key);
        this.certs.set(key, { at: Date.now(), cert: c });
        while (this.certs.size > this.maxEntries) this.certs.delete(this.certs.keys().next().value!);
        return c;
      },
      (err: unknown) => {
        this.pending.delete(key);
        if (err instanceof SesError && err.code === SnsCodes.SIGNATURE && err.statusCode !== undefined) {
          this.refused.set(key, { at: Date.now(), error: err });
          while (this.refused.size > this.maxRefused) this.refused.delete(this.refused.keys().next().value!);
        }
        throw err;
      },
    );
    this.pending.set(key, cert);
    return cert;
  }

  private async fetch(url: URL): Promise<SigningCertificate> {
    let pem: string;
    try {
      pem = await snsGet(
        this.options.dispatcher,
        url,
        { maxBytes: this.maxBytes, timeoutMs: this.timeoutMs },
        SnsCodes.CERT,
        'signing certificate',
      );
    } catch (err) {
      const status = (err as SesError).statusCode;
      // The SNS host answered that there is no such certificate (404, 403, …): a refusal, not an outage
      // (408 and 429 are the host's load, retried like a 5xx).
      if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
        throw snsError(
          SnsCodes.SIGNATURE,
          `The SNS host has no signing certificate at ${url.pathname} (HTTP ${status}): the message is not from SNS`,
          err,
          status,
        );
      }
      throw err;
    }
    return readCertificate(pem);
  }
}
