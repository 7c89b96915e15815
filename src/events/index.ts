/** `nodemailer-ses-query/events`: SES bounce, complaint and delivery events over SNS, verified and typed. */
export { SesEventReceiver } from './receiver.js';
export type { SesEventReceiverOptions } from './receiver.js';
export type { HandleResult, HandleBody } from './result.js';
export type { NodeHandler, NodeRequest, FetchHandler } from './handlers.js';
export { SnsCodes, httpStatusOf } from './errors.js';
export type { SnsCode } from './errors.js';
export { MemorySeenStore } from './seen.js';
export type { SeenStore, SeenOption, SeenState } from './seen.js';
export { defaultIsSnsUrl } from './sns-urls.js';
export type { IsSnsUrl, SnsUrlContext } from './sns-urls.js';
export { parseSesEvent, isPermanentBounce, addressesToSuppress } from './ses-event.js';
export type {
  SesEvent,
  SesMail,
  SesRecipient,
  SesBounce,
  SesComplaint,
  SesDelivery,
  SesDeliveryDelay,
  TopicPreferences,
  BounceEvent,
  ComplaintEvent,
  DeliveryEvent,
  SendEvent,
  RejectEvent,
  OpenEvent,
  ClickEvent,
  RenderingFailureEvent,
  DeliveryDelayEvent,
  SubscriptionEvent,
  UnknownSesEvent,
} from './ses-event.js';
export type { SnsMessage, SnsMessageType } from './sns-message.js';
export { verifySnsBody } from './verify-body.js';
export type { VerifySnsBodyOptions, VerifiedSnsBody } from './verify-body.js';
