// Certificates made at test time with the openssl command line: a self-signed one for 127.0.0.1 (the
// HTTPS fakes), and any subject name a test needs (the SNS signing certificate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  key: string;
  cert: string;
}

/** An RSA key and a self-signed X.509 certificate for `/CN=<commonName>` (and `subjectAltName` when given). */
export function generateCert(options: { commonName: string; days?: number; subjectAltName?: string }): KeyAndCert {
  const dir = mkdtempSync(join(tmpdir(), 'test-cert-'));
  try {
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(options.days ?? 1)];
    args.push('-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', `/CN=${options.commonName}`);
    if (options.subjectAltName) args.push('-addext', `subjectAltName=${options.subjectAltName}`);
    execFileSync('openssl', args, { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cached: KeyAndCert | undefined;

/** A self-signed certificate for 127.0.0.1 (made once per process). A promise, as callers await it. */
export function makeSelfSignedCert(): Promise<KeyAndCert> {
  cached ??= generateCert({ commonName: '127.0.0.1', subjectAltName: 'IP:127.0.0.1,DNS:localhost' });
  return Promise.resolve(cached);
}
