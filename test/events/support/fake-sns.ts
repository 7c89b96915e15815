// A stand-in for SNS on loopback HTTPS: serves a signing certificate made in the test (openssl), answers
// subscription confirmations, and signs messages the way SNS does. The canonical string is built here
// from AWS's documentation on its own, not with the package's code, so a mistake there cannot hide.
import { randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createDispatcher, type Dispatcher } from '../../../src/wire/http.js';
import { generateCert, makeSelfSignedCert } from '../../support/tls.js';

export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-events';
export const CERT_PATH = '/SimpleNotificationService-0000000000000000000000.pem';

/**
 * An RSA key and a self-signed X.509 certificate standing in for SNS's signing certificate, issued to
 * `commonName`: by default the SNS signing name of TOPIC's region (eu-west-1: sns.amazonaws.com).
 */
export function makeSigningCert(days = 1, commonName = 'sns.amazonaws.com'): { key: string; cert: string } {
  return generateCert({ commonName, days });
}

export type Envelope = Record<string, string>;

/** AWS's documented string to sign: name\nvalue\n for each field in this order; Subject only if present. */
export function stringToSign(m: Envelope): string {
  const keys =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}\n${m[k]}\n`)
    .join('');
}

export interface FakeSns {
  url: string;
  port: number;
  ca: string;
  certUrl: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Subscription confirmations received (full path with query). */
  confirmations: string[];
  /** Signs an envelope with the test key; fields given override the defaults. */
  signed(fields: Partial<Envelope> & { Message: string }, version?: '1' | '2'): Envelope;
  /** Re-signs an envelope after a change (e.g. to prove the attack is not only a bad signature). */
  resign(m: Envelope, key?: string): Envelope;
  subscriptionConfirmation(fields?: Partial<Envelope>, version?: '1' | '2'): Envelope;
  isSnsUrl: (url: URL) => boolean;
  dispatcher: Dispatcher;
  key: string;
  /** Routes answered specially: path → handler. */
  routes: Map<string, (res: import('node:http').ServerResponse) => void>;
  close(): Promise<void>;
}

export async function startFakeSns(signing = makeSigningCert()): Promise<FakeSns> {
  const tls = await makeSelfSignedCert();
  const requests: string[] = [];
  const confirmations: string[] = [];
  const routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const route = routes.get(path.split('?')[0]!);
    if (route) return route(res);
    if (path === CERT_PATH) {
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' });
      return res.end(signing.cert);
    }
    if (path.startsWith('/?Action=ConfirmSubscription')) {
      confirmations.push(path);
      res.writeHead(200, { 'content-type': 'text/xml' });
      return res.end(
        '<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:eu-west-1:123456789012:ses-events:1</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>',
      );
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const certUrl = `${url}${CERT_PATH}`;
  const dispatcher = createDispatcher({ tls: { ca: tls.cert }, env: {} });

  const resign = (m: Envelope, key = signing.key): Envelope => {
    const algorithm = m.SignatureVersion === '1' ? 'RSA-SHA1' : 'RSA-SHA256';
    return { ...m, Signature: sign(algorithm, Buffer.from(stringToSign(m), 'utf8'), key).toString('base64') };
  };
  const signed: FakeSns['signed'] = (fields, version = '2') =>
    resign({
      Type: 'Notification',
      MessageId: randomUUID(),
      TopicArn: TOPIC,
      Timestamp: new Date().toISOString(),
      SignatureVersion: version,
      SigningCertURL: certUrl,
      UnsubscribeURL: `${url}/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:1`,
      ...fields,
    });

  return {
    url,
    port,
    ca: tls.cert,
    certUrl,
    requests,
    confirmations,
    signed,
    resign,
    subscriptionConfirmation: (fields = {}, version = '2') => {
      const token = 'token-' + randomUUID();
      return signed(
        {
          Type: 'SubscriptionConfirmation',
          Token: token,
          Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
          SubscribeURL: `${url}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${token}`,
          ...fields,
        },
        version,
      );
    },
    isSnsUrl: (u: URL) => u.hostname === '127.0.0.1' && u.port === String(port),
    dispatcher,
    key: signing.key,
    routes,
    close: async () => {
      await dispatcher.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An SES Bounce notification (permanent, one recipient) for `messageId`, as SNS's `Message`. */
export function bouncePayload(messageId: string): string {
  return JSON.stringify({
    notificationType: 'Bounce',
    bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'jane@example.com' }], timestamp: new Date().toISOString() },
    mail: { timestamp: new Date().toISOString(), messageId, source: 'sender@example.com', destination: ['jane@example.com'] },
  });
}
