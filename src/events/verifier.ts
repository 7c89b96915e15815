/**
 * Verifies one parsed SNS message: its certificate URL is allowed, the certificate (fetched through
 * the cache) is in its validity period and issued to the SNS signing name of the topic's region (as
 * aws-sdk-java-v2's CertificateRetriever checks it), and the signature over the canonical string verifies.
 */
import type { CertificateCache } from './certificates.js';
import { SnsCodes, snsError } from './errors.js';
import { certificateIsFor, subjectOf, verifySignature } from './signature.js';
import { canonicalString, type SnsMessage } from './sns-message.js';
import { checkSnsUrl, snsSigningNames, type IsSnsUrl } from './sns-urls.js';

export interface VerifyOptions {
  isSnsUrl: IsSnsUrl;
  certificates: CertificateCache;
  now?: number;
}

/** Resolves when the message is SNS's own; rejects with `ESNSCERTHOST`, `ESNSCERT` or `ESNSSIGNATURE`. */
export async function verifySnsMessage(message: SnsMessage, options: VerifyOptions): Promise<void> {
  const url = checkSnsUrl(message.SigningCertURL, { topicArn: message.TopicArn, purpose: 'certificate' }, options.isSnsUrl);
  const cert = await options.certificates.get(url);
  const now = options.now ?? Date.now();
  if (!(now >= cert.validFrom && now <= cert.validTo))
    throw snsError(SnsCodes.SIGNATURE, 'The signing certificate is outside its validity period');
  const names = snsSigningNames(message.TopicArn);
  if (!certificateIsFor(cert, names)) {
    throw snsError(
      SnsCodes.SIGNATURE,
      `The signing certificate (${subjectOf(cert)}) is not issued to ${names.join(' or ')}, the SNS signing name for the topic's region; refused`,
    );
  }
  if (!verifySignature(canonicalString(message), message.Signature, message.SignatureVersion, cert)) {
    throw snsError(
      SnsCodes.SIGNATURE,
      `The SNS signature (version ${message.SignatureVersion}) of message ${message.MessageId} does not verify; refused`,
    );
  }
}
