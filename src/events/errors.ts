/**
 * The refusals of `nodemailer-ses-query/events`, each a `SesError` with its own stable code, and the
 * one table that gives each code its HTTP status and whether SNS should deliver again.
 *
 * | code             | HTTP | retryable | meaning |
 * | ---------------- | ---- | --------- | ------- |
 * | `ESNSMALFORMED`  | 400  | no  | Not an SNS HTTP(S) message: not JSON, a field missing or of the wrong type, an unknown `Type`, a bad `TopicArn`, a body over `maxBodyBytes`, a request body already read by something else and not on `req.body`. |
 * | `ESNSRAW`        | 400  | no  | An SES payload without the SNS envelope: the subscription has raw message delivery on, so there is no signature to verify. |
 * | `ESNSTOPIC`      | 400  | no  | The `TopicArn` is not one of `topicArns`. |
 * | `ESNSEXPIRED`    | 400  | no  | The `Timestamp` is older than `maxAgeMs` (a replay), or too far in the future. |
 * | `ESNSCERTHOST`   | 400  | no  | The `SigningCertURL` (or `SubscribeURL`) is not an https URL on the topic's SNS host (or not a `.pem` path). |
 * | `ESNSSIGNATURE`  | 400  | no  | The signature does not verify, its version is unknown, or the certificate is not SNS's: not a valid certificate, outside its validity period, a subject that is not the region's SNS signing name, or refused by the SNS host (HTTP 4xx: no such certificate). |
 * | `ESNSCERT`       | 500  | yes | The signing certificate could not be fetched (network, HTTP 5xx, size, time). SNS tries again. |
 * | `ESNSSUBSCRIBE`  | 500  | yes | The `SubscribeURL` GET failed. SNS tries again. |
 * | `ESNSINFLIGHT`   | 503  | yes | A redelivery of a message that is still being handled (here, or by another receiver sharing the seen store). SNS tries again later. |
 *
 * The HTTP column is what `nodeHandler()` and `fetchHandler()` answer. Any other error (one thrown by
 * `onEvent` or by a `seen` store) is passed through unchanged and answered 500, so that SNS delivers again.
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
  INFLIGHT: 'ESNSINFLIGHT',
} as const;

export type SnsCode = (typeof SnsCodes)[keyof typeof SnsCodes];

/** The table: HTTP status and retryability of each code. */
const TABLE: Record<SnsCode, { status: 400 | 500 | 503; retryable: boolean }> = {
  ESNSMALFORMED: { status: 400, retryable: false },
  ESNSRAW: { status: 400, retryable: false },
  ESNSTOPIC: { status: 400, retryable: false },
  ESNSEXPIRED: { status: 400, retryable: false },
  ESNSCERTHOST: { status: 400, retryable: false },
  ESNSSIGNATURE: { status: 400, retryable: false },
  ESNSCERT: { status: 500, retryable: true },
  ESNSSUBSCRIBE: { status: 500, retryable: true },
  ESNSINFLIGHT: { status: 503, retryable: true },
};

/** A refusal with its code; retryable as the table says. */
export function snsError(code: SnsCode, message: string, cause?: unknown, statusCode?: number): SesError {
  return new SesError(message, { code, retryable: TABLE[code].retryable, cause, ...(statusCode !== undefined && { statusCode }) });
}

/** The HTTP status a handler answers for an error: the table's for an `ESNS…` code, else 500 (SNS retries). */
export function httpStatusOf(err: unknown): 400 | 500 | 503 {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof SesError && typeof code === 'string' && Object.hasOwn(TABLE, code) ? TABLE[code as SnsCode].status : 500;
}
