/**
 * Which URLs a message may make us fetch: its `SigningCertURL` and its `SubscribeURL`. By default only
 * `https://sns.<region>.<dnsSuffix>/…` for the region named in the message's `TopicArn`, with the DNS
 * suffix of that region's partition (amazonaws.com, amazonaws.com.cn, …: src/endpoint/partitions.ts,
 * from the SDKs' partitions.json). AWS's own validators check the host the same way, less narrowly
 * (aws/aws-js-sns-message-validator index.js: `^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$`, https,
 * a path ending in `.pem`). A user's `isSnsUrl` replaces the host check only: https and, for the
 * certificate, a `.pem` path are always required.
 */
import { partitionOf } from '../endpoint/partitions.js';
import { SnsCodes, snsError } from './errors.js';

export interface SnsUrlContext {
  /** The (not yet verified) TopicArn of the message that names the URL. */
  topicArn: string;
  /** Which URL: the signing certificate, or the subscription confirmation. */
  purpose: 'certificate' | 'subscribe';
}

/** Decides whether a URL may be fetched. The default: https on the SNS host of the topic's region. */
export type IsSnsUrl = (url: URL, context: SnsUrlContext) => boolean;

export interface TopicArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

const ARN = /^arn:([a-z0-9-]+):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/;

/** Splits an SNS topic ARN. Throws `ESNSMALFORMED` when it is not one. */
export function parseTopicArn(arn: string): TopicArnParts {
  const m = ARN.exec(arn);
  if (!m) throw snsError(SnsCodes.MALFORMED, `Not an SNS topic ARN: ${JSON.stringify(arn.slice(0, 300))}`);
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}

/** The SNS host for a topic: `sns.<region>.<dnsSuffix of the region's partition>`. */
function snsHostFor(topicArn: string): string {
  const { partition, region } = parseTopicArn(topicArn);
  const p = partitionOf(region);
  if (p.name !== partition) throw snsError(SnsCodes.MALFORMED, `The TopicArn's partition ${partition} does not hold region ${region}`);
  return `sns.${region}.${p.dnsSuffix}`;
}

/** The default `isSnsUrl`: https, no port, no credentials, exactly the topic's SNS host. */
export const defaultIsSnsUrl: IsSnsUrl = (url, { topicArn }) =>
  url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && url.hostname === snsHostFor(topicArn);

/** Parses and checks a URL a message names; throws `ESNSCERTHOST` when it may not be fetched. */
export function checkSnsUrl(value: string, context: SnsUrlContext, isSnsUrl: IsSnsUrl): URL {
  const what = context.purpose === 'certificate' ? 'SigningCertURL' : 'SubscribeURL';
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    throw snsError(SnsCodes.CERT_HOST, `The ${what} is not a URL`, err);
  }
  const allowed =
    url.protocol === 'https:' &&
    (context.purpose !== 'certificate' || (url.pathname.endsWith('.pem') && url.search === '')) &&
    isSnsUrl(url, context);
  if (!allowed)
    throw snsError(
      SnsCodes.CERT_HOST,
      `The ${what} ${url.origin}${url.pathname} is not on the topic's SNS host (or not an https .pem URL); refused`,
    );
  return url;
}

/**
 * The regions whose SNS signing certificate has its own name (aws/aws-sdk-java-v2,
 * services-custom/sns-message-manager/.../internal/SnsHostProvider.java, signingCertCommonName).
 */
const SIGNING_NAMES: Record<string, string> = {
  'cn-north-1': 'sns-cn-north-1.amazonaws.com.cn',
  'cn-northwest-1': 'sns-cn-northwest-1.amazonaws.com.cn',
  'us-gov-west-1': 'sns-us-gov-west-1.amazonaws.com',
  'us-gov-east-1': 'sns-us-gov-west-1.amazonaws.com',
  'us-iso-east-1': 'sns-us-iso-east-1.c2s.ic.gov',
  'us-isob-east-1': 'sns-us-isob-east-1.sc2s.sgov.gov',
  'us-isof-east-1': 'sns-signing.us-isof-east-1.csp.hci.ic.gov',
  'us-isof-south-1': 'sns-signing.us-isof-south-1.csp.hci.ic.gov',
  'eu-isoe-west-1': 'sns-signing.eu-isoe-west-1.cloud.adc-e.uk',
  'eusc-de-east-1': 'sns-signing.eusc-de-east-1.amazonaws.eu',
};
const SNS_SIGNING_REGIONS = [
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'me-south-1',
  'me-central-1',
  'eu-south-1',
  'eu-south-2',
  'eu-central-2',
  'af-south-1',
  'ap-southeast-3',
  'ap-southeast-4',
  'il-central-1',
  'ca-west-1',
  'mx-central-1',
];
for (const region of SNS_SIGNING_REGIONS) SIGNING_NAMES[region] = `sns-signing.${region}.amazonaws.com`;

/**
 * The names the signing certificate of a topic's region may be issued to. For a region in the SDK's
 * table, that one name. For any other region, what aws-sdk-java-v2 accepts (`sns.amazonaws.com` for a
 * region it knows, `sns.<dnsSuffix of the partition>` for one it does not) and, for regions opened
 * after that table, the `sns-signing.<region>.<dnsSuffix>` form AWS uses for its newer regions.
 */
export function snsSigningNames(topicArn: string): string[] {
  const { region } = parseTopicArn(topicArn);
  const own = SIGNING_NAMES[region];
  if (own) return [own];
  const { dnsSuffix } = partitionOf(region);
  return [...new Set(['sns.amazonaws.com', `sns.${dnsSuffix}`, `sns-signing.${region}.${dnsSuffix}`])];
}
