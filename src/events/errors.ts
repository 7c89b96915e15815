/**
 * The refusals of `nodemailer-ses-query/events`, each a `SesError` with its own stable code.
 *
 * | code             | HTTP | meaning |
 * | ---------------- | ---- | ------- |
 * | `ESNSMALFORMED`  | 400  | Not an SNS HTTP(S) message: not JSON, a field missing or of the wrong type, an unknown `Type`, a bad `TopicArn`, a body over the size limit. |
 * | `ESNSRAW`        | 400  | An SES payload without the SNS envelope: the subscription has raw message delivery on, so there is no signature to verify. |
 * | `ESNSTOPIC`      | 400  | The `TopicArn` is not one of `topicArns`. |
 * | `ESNSEXPIRED`    | 400  | The `Timestamp` is older than `maxAgeMs` (a replay), or too far in the future. |
 * | `ESNSCERTHOST`   | 400  | The `SigningCertURL` (or `SubscribeURL`) is not an https URL on the topic's SNS host (or not a `.pem` path). |
 * | `ESNSSIGNATURE`  | 400  | The signature does not verify, its version is unknown, or the certificate is not a valid certificate. |
 * | `ESNSCERT`       | 500  | The signing certificate could not be fetched (network, status, size, time). Retryable: SNS tries again. |
 * | `ESNSSUBSCRIBE`  | 500  | The `SubscribeURL` GET failed. Retryable. |
 *
 * The HTTP column is what `nodeHandler()` and `fetchHandler()` answer. An error thrown by `onEvent`
 * (or by a `seen` store) is passed through unchanged and answered 500, so that SNS delivers again.
 */
import { SesError } from '../errors.js';

export const SnsCodes = {
  MALFORMED: 'ESNSMALFORMED',
  RAW: 'ESNSRAW',
  TOPIC: 'ESNSTOPIC',
  EXPIRED: 'ESNSEXPIRED',
  CERT_HOST: 'ESNSCERTHOST',
  SIGNATURE: 'ESNSSIGNATURE',
  CERT: 'ESNSCERT',
  SUBSCRIBE: 'ESNSSUBSCRIBE',
} as const;

export type SnsCode = (typeof SnsCodes)[keyof typeof SnsCodes];

const RETRYABLE = new Set<string>([SnsCodes.CERT, SnsCodes.SUBSCRIBE]);

/** A refusal: retryable only for the codes that depend on the network. */
export function snsError(code: SnsCode, message: string, cause?: unknown): SesError {
  return new SesError(message, { code, retryable: RETRYABLE.has(code), cause });
}

const REFUSALS = new Set<string>([SnsCodes.MALFORMED, SnsCodes.RAW, SnsCodes.TOPIC, SnsCodes.EXPIRED, SnsCodes.CERT_HOST, SnsCodes.SIGNATURE]);

/** The HTTP status a handler answers for an error: 400 for a refused message, else 500 (SNS retries). */
export function httpStatusOf(err: unknown): 400 | 500 {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof SesError && typeof code === 'string' && REFUSALS.has(code) ? 400 : 500;
}
