/**
 * The one place that does public-key cryptography: checks an SNS signature against the signing
 * certificate. `node:crypto` (Node, Bun and Deno all provide it); a Web Crypto version would replace
 * this file only. SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA (PKCS #1 v1.5).
 */
import { X509Certificate, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { SnsCodes, snsError } from './errors.js';

export interface SigningCertificate {
  key: KeyObject;
  /** The certificate, for its names. */
  x509: X509Certificate;
  /** Milliseconds since the epoch. */
  validFrom: number;
  validTo: number;
}

/** Reads a PEM certificate. Throws `ESNSSIGNATURE` when it is not one. */
export function readCertificate(pem: string): SigningCertificate {
  try {
    const cert = new X509Certificate(pem);
    return {
      key: createPublicKey(cert.publicKey.export({ type: 'spki', format: 'pem' })),
      x509: cert,
      validFrom: Date.parse(cert.validFrom),
      validTo: Date.parse(cert.validTo),
    };
  } catch (err) {
    throw snsError(SnsCodes.SIGNATURE, 'The signing certificate is not a valid X.509 certificate', err);
  }
}

/**
 * True when the certificate is issued to one of `names`: its DNS subject alternative names, or its
 * subject common name when it has none, wildcards allowed (Node's `checkHost`; aws-sdk-java-v2's
 * CertificateRetriever checks the same way with Apache's DefaultHostnameVerifier).
 */
export function certificateIsFor(cert: SigningCertificate, names: readonly string[]): boolean {
  return names.some((name) => cert.x509.checkHost(name) !== undefined);
}

/** The certificate's subject, for messages. */
export function subjectOf(cert: SigningCertificate): string {
  return cert.x509.subject.replace(/\n/g, ', ');
}

/** True when `signature` (base64) is the signature of `data` under the certificate's key. */
export function verifySignature(data: string, signatureBase64: string, version: '1' | '2', cert: SigningCertificate): boolean {
  const signature = Buffer.from(signatureBase64, 'base64');
  if (signature.length === 0) return false;
  try {
    return verify(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256', Buffer.from(data, 'utf8'), cert.key, signature);
  } catch {
    return false;
  }
}
