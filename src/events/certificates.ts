/**
 * The signing certificates, fetched once per URL and kept for a while. SNS rotates its certificate
 * by signing with a new one under a new URL, so a new URL is a new fetch; an entry also expires after
 * `ttlMs`. Concurrent messages naming the same URL share one fetch. A failed fetch is not kept.
 */
import type { Dispatcher } from '../wire/http.js';
import { SnsCodes } from './errors.js';
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
  /** Certificates kept at most (oldest dropped first). Default 20. */
  maxEntries?: number;
}

interface Entry {
  at: number;
  cert: Promise<SigningCertificate>;
}

export class CertificateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  /** How many certificate fetches were started (for tests and logs). */
  fetches = 0;

  constructor(private readonly options: CertificateCacheOptions) {
    this.maxBytes = options.maxBytes ?? 10 * 1024;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 20;
  }

  /** The certificate at `url` (already checked by the caller to be an allowed SNS URL). */
  get(url: URL): Promise<SigningCertificate> {
    const key = url.href;
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.cert;
    if (hit) this.entries.delete(key);
    this.fetches++;
    const cert = snsGet(this.options.dispatcher, url, { maxBytes: this.maxBytes, timeoutMs: this.timeoutMs }, SnsCodes.CERT, 'signing certificate').then(readCertificate);
    const entry: Entry = { at: now, cert };
    this.entries.set(key, entry);
    cert.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return cert;
  }
}
