/** SES's limits on the classic API, checked before anything touches the network. */
import { LocalCodes, messageError } from '../errors.js';

/** Recipients per message, To + Cc + Bcc. */
export const MAX_RECIPIENTS = 50;
/** Bytes per message on the v1 API, measured after base64 (10 MiB). */
export const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export function checkRecipients(count: number): void {
  if (count === 0) throw messageError('The message has no recipients (to, cc or bcc)', LocalCodes.ENVELOPE);
  if (count > MAX_RECIPIENTS) {
    throw messageError(
      `The message has ${count} recipients; SES takes at most ${MAX_RECIPIENTS} (To + Cc + Bcc) per message`,
      LocalCodes.MAX_RECIPIENTS,
    );
  }
}

/** Base64 length of `bytes` raw bytes. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

export function checkSize(encodedBytes: number): void {
  if (encodedBytes > MAX_MESSAGE_BYTES) {
    throw messageError(`The message is ${encodedBytes} bytes after base64; SES takes at most ${MAX_MESSAGE_BYTES}`, LocalCodes.MAX_LIMIT);
  }
}
