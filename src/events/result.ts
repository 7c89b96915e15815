/**
 * What `SesEventReceiver.handle` resolves with, and the shape of a receiver the HTTP handlers need.
 * Its own file so that the receiver and the handlers both import it and neither imports the other.
 */
import type { Logger } from '../logger.js';
import type { SesEvent } from './ses-event.js';

export type HandleResult =
  | { status: 'event'; event: SesEvent }
  | { status: 'duplicate'; snsMessageId: string }
  | { status: 'subscribed'; topicArn: string; confirmed: boolean; subscribeUrl: string }
  | { status: 'unsubscribed'; topicArn: string }
  /** A verified notification that is not an SES event (SES's "Successfully validated SNS topic…" test message). */
  | { status: 'ignored'; snsMessageId: string; reason: string };

/** A body as `handle` takes it: the JSON text, its bytes, or what a body parser made of it (any value). */
export type HandleBody = string | Uint8Array | Record<string, unknown> | unknown[];

/** What the handlers use of a receiver. */
export interface ReceiverLike {
  handle(body: HandleBody): Promise<HandleResult>;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}
