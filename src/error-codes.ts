/** The stable codes this package raises itself; SES's own codes pass through `SesError.code` unchanged. */

export const LocalCodes = {
  /** Bad transport options (missing region, malformed endpoint, …). */
  CONFIG: 'ECONFIG',
  /** No credential source yielded credentials. */
  CREDENTIALS: 'ECREDENTIALS',
  /** The message has no recipients. */
  ENVELOPE: 'EENVELOPE',
  /** More than 50 recipients (To + Cc + Bcc). */
  MAX_RECIPIENTS: 'EMAXRECIPIENTS',
  /** The message is over SES's 10 MB limit (after base64). */
  MAX_LIMIT: 'EMAXLIMIT',
  /** The message or its `ses` options cannot be sent as given. */
  MESSAGE: 'EMESSAGE',
  /** The connection failed (refused, reset, DNS, TLS). */
  CONNECTION: 'ECONNECTION',
  /** An attempt or the whole send ran out of time. */
  TIMEOUT: 'ETIMEDOUT',
  /** The answer was not something SES would send (HTML page, truncated XML, …). */
  PROTOCOL: 'EPROTOCOL',
  /** The caller aborted the send through an AbortSignal. */
  ABORT: 'EABORT',
  /** The transport was closed before the message could be sent. */
  CLOSED: 'ECLOSED',
} as const;

export type LocalCode = (typeof LocalCodes)[keyof typeof LocalCodes];
