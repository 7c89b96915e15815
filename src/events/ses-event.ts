/**
 * SES's payloads, typed: the "notifications" set on an identity (`notificationType` Bounce, Complaint,
 * Delivery) and "event publishing" through a configuration set (`eventType` Send, Reject, Bounce,
 * Complaint, Delivery, Open, Click, Rendering Failure, DeliveryDelay, Subscription). Field names as in
 * "Amazon SNS notification contents for Amazon SES" and "Contents of event data that Amazon SES
 * publishes to Amazon SNS" (docs.aws.amazon.com/ses/latest/dg/notification-contents.html,
 * …/event-publishing-retrieving-sns-contents.html). SES may add fields and types: unknown fields are
 * kept in `raw`, an unknown type comes through with `type` as SES named it.
 */
import { SnsCodes, snsError } from './errors.js';

export interface SesMail {
  /** SES's message id: `info.response` from `sendMail`, and the local part of `info.messageId`. */
  messageId: string;
  timestamp: string;
  /** Envelope MAIL FROM. */
  source: string;
  sourceArn?: string;
  sourceIp?: string;
  sendingAccountId?: string;
  callerIdentity?: string;
  destination: string[];
  /** Message tags (event publishing only): name → values. */
  tags?: Record<string, string[]>;
  /** Present when the notification was set up to include headers. */
  headersTruncated?: boolean;
  headers?: Array<{ name: string; value: string }>;
  commonHeaders?: {
    from?: string[];
    to?: string[];
    cc?: string[];
    bcc?: string[];
    sender?: string[];
    replyTo?: string[];
    returnPath?: string;
    messageId?: string;
    date?: string;
    subject?: string;
  };
}

/** A recipient an event concerns, with what SES reported for it. */
export interface SesRecipient {
  emailAddress: string;
  /** Enhanced status code (`5.1.1`, `4.4.1`) when SES gave one. */
  status?: string;
  /** `failed`, `delayed`, … when SES gave one. */
  action?: string;
  /** The remote server's words (`smtp; 550 5.1.1 user unknown`), or the SMTP response of a delivery. */
  diagnosticCode?: string;
}

export interface SesBounce {
  bounceType: 'Undetermined' | 'Permanent' | 'Transient' | (string & {});
  bounceSubType: string;
  bouncedRecipients: SesRecipient[];
  timestamp: string;
  feedbackId: string;
  reportingMTA?: string;
  remoteMtaIp?: string;
}

export interface SesComplaint {
  complainedRecipients: Array<{ emailAddress: string }>;
  timestamp: string;
  feedbackId: string;
  complaintSubType?: string | null;
  userAgent?: string;
  complaintFeedbackType?: string;
  arrivalDate?: string;
}

export interface SesDelivery {
  timestamp: string;
  processingTimeMillis: number;
  recipients: string[];
  smtpResponse: string;
  reportingMTA?: string;
  remoteMtaIp?: string;
}

export interface SesDeliveryDelay {
  timestamp: string;
  delayType: string;
  expirationTime?: string;
  reportingMTA?: string;
  delayedRecipients: SesRecipient[];
}

interface Base<T extends string> {
  type: T;
  /** `notification`: set on an identity (`notificationType`); `event`: a configuration set's event publishing (`eventType`). */
  kind: 'notification' | 'event';
  /** SES's message id (`mail.messageId`). */
  messageId: string;
  /** When the event happened (the type's own timestamp, else the send time). */
  timestamp: string;
  recipients: SesRecipient[];
  mail: SesMail;
  /** The SES payload as received. */
  raw: Record<string, unknown>;
  /** The SNS envelope's id and topic (absent for accepted unsigned raw deliveries). */
  sns?: { messageId: string; topicArn: string; timestamp: string; subject?: string };
}

export interface BounceEvent extends Base<'Bounce'> {
  bounce: SesBounce;
}
export interface ComplaintEvent extends Base<'Complaint'> {
  complaint: SesComplaint;
}
export interface DeliveryEvent extends Base<'Delivery'> {
  delivery: SesDelivery;
}
export interface SendEvent extends Base<'Send'> {
  send: Record<string, unknown>;
}
export interface RejectEvent extends Base<'Reject'> {
  reject: { reason: string };
}
export interface OpenEvent extends Base<'Open'> {
  open: { ipAddress: string; timestamp: string; userAgent: string };
}
export interface ClickEvent extends Base<'Click'> {
  click: { ipAddress: string; timestamp: string; userAgent: string; link: string; linkTags?: Record<string, string[]> };
}
export interface RenderingFailureEvent extends Base<'Rendering Failure'> {
  failure: { templateName: string; errorMessage: string };
}
export interface DeliveryDelayEvent extends Base<'DeliveryDelay'> {
  deliveryDelay: SesDeliveryDelay;
}
export interface TopicPreferences {
  unsubscribeAll: boolean;
  topicSubscriptionStatus?: Array<{ topicName: string; subscriptionStatus: 'OptIn' | 'OptOut' | (string & {}) }>;
  topicDefaultSubscriptionStatus?: Array<{ topicName: string; subscriptionStatus: string }>;
}
export interface SubscriptionEvent extends Base<'Subscription'> {
  subscription: {
    contactList: string;
    timestamp: string;
    source: string;
    newTopicPreferences: TopicPreferences;
    oldTopicPreferences?: TopicPreferences;
  };
}
/** A type this version does not know (SES may add some); `raw` holds everything. */
export type UnknownSesEvent = Base<string & { readonly unknown?: never }>;

export type SesEvent =
  | BounceEvent
  | ComplaintEvent
  | DeliveryEvent
  | SendEvent
  | RejectEvent
  | OpenEvent
  | ClickEvent
  | RenderingFailureEvent
  | DeliveryDelayEvent
  | SubscriptionEvent;

/** The key of each type's own object in the payload. */
const DETAIL: Record<SesEvent['type'], string> = {
  Bounce: 'bounce',
  Complaint: 'complaint',
  Delivery: 'delivery',
  Send: 'send',
  Reject: 'reject',
  Open: 'open',
  Click: 'click',
  'Rendering Failure': 'failure',
  DeliveryDelay: 'deliveryDelay',
  Subscription: 'subscription',
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function recipientsOf(list: unknown): SesRecipient[] {
  if (!Array.isArray(list)) return [];
  const out: SesRecipient[] = [];
  for (const r of list) {
    if (typeof r === 'string') {
      out.push({ emailAddress: r });
    } else if (isObject(r) && typeof r.emailAddress === 'string') {
      const rec: SesRecipient = { emailAddress: r.emailAddress };
      if (str(r.status)) rec.status = r.status as string;
      if (str(r.action)) rec.action = r.action as string;
      if (str(r.diagnosticCode)) rec.diagnosticCode = r.diagnosticCode as string;
      out.push(rec);
    }
  }
  return out;
}

/** The recipients an event concerns: the type's own list, else the message's destinations. */
function recipientsFor(type: string, detail: Record<string, unknown>, mail: SesMail): SesRecipient[] {
  switch (type) {
    case 'Bounce':
      return recipientsOf(detail.bouncedRecipients);
    case 'Complaint':
      return recipientsOf(detail.complainedRecipients);
    case 'DeliveryDelay':
      return recipientsOf(detail.delayedRecipients);
    case 'Delivery': {
      const smtp = str(detail.smtpResponse);
      return recipientsOf(detail.recipients).map((r) => (smtp ? { ...r, diagnosticCode: smtp } : r));
    }
    default:
      return mail.destination.map((emailAddress) => ({ emailAddress }));
  }
}

/**
 * Reads an SES payload (the SNS `Message`, parsed) into a typed event. Throws `ESNSMALFORMED` when it
 * is not an SES payload (no type, no `mail.messageId`).
 */
export function parseSesEvent(payload: unknown): SesEvent {
  if (!isObject(payload)) throw snsError(SnsCodes.MALFORMED, 'The SES payload is not a JSON object');
  const kind = typeof payload.eventType === 'string' ? 'event' : 'notification';
  const type = str(payload.eventType) ?? str(payload.notificationType);
  if (!type) throw snsError(SnsCodes.MALFORMED, 'The SES payload has neither eventType nor notificationType');
  const m = payload.mail;
  if (!isObject(m) || typeof m.messageId !== 'string' || !m.messageId)
    throw snsError(SnsCodes.MALFORMED, 'The SES payload has no mail.messageId');
  const mail = {
    ...m,
    destination: Array.isArray(m.destination) ? m.destination.filter((d): d is string => typeof d === 'string') : [],
  } as unknown as SesMail;
  // An unknown type's object is looked for under the type's name in camelCase ("Future Thing" → futureThing).
  const camel = type.replace(/\s+/g, '');
  const detailKey = DETAIL[type as SesEvent['type']] ?? camel.charAt(0).toLowerCase() + camel.slice(1);
  const detail = isObject(payload[detailKey]) ? payload[detailKey] : {};
  const event: Record<string, unknown> = {
    type,
    kind,
    messageId: mail.messageId,
    timestamp: str(detail.timestamp) ?? str(mail.timestamp) ?? '',
    recipients: recipientsFor(type, detail, mail),
    mail,
    raw: payload,
  };
  // An unknown type named like one of the event's own fields ("Mail", "Type") does not replace it.
  if (!Object.hasOwn(event, detailKey) && detailKey !== 'sns') event[detailKey] = detail;
  return event as unknown as SesEvent;
}

/** True for a bounce SES calls `Permanent` (hard): the address should not be mailed again. */
export function isPermanentBounce(event: { type: string }): event is BounceEvent {
  return event.type === 'Bounce' && (event as BounceEvent).bounce?.bounceType === 'Permanent';
}

/**
 * The addresses to stop sending to because of this event: the recipients of a permanent bounce and
 * of a complaint (except one whose `complaintFeedbackType` is `not-spam`). Empty for every other event (a transient bounce or a delay may clear up; an
 * unsubscribe is a list preference, read `subscription` for it). As SES wrote them, without duplicates.
 */
export function addressesToSuppress(event: SesEvent): string[] {
  if (!isPermanentBounce(event) && event.type !== 'Complaint') return [];
  // A complaint whose feedback type is "not-spam" is a recipient taking a message out of spam.
  if (event.type === 'Complaint' && event.complaint?.complaintFeedbackType === 'not-spam') return [];
  return [...new Set(event.recipients.map((r) => r.emailAddress.trim()).filter(Boolean))];
}
