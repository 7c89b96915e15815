/** SES wire facts shared by the transport and its tests. SigV4's own strings live in src/sigv4/constants.ts. */

/** The classic SES Query API version. */
export const SES_API_VERSION = '2010-12-01';

/** SigV4 signing name for SES (the endpoint prefix is `email`, the signing name is `ses`). */
export const SES_SIGNING_NAME = 'ses';

/**
 * The domain of the Message-ID SES puts on a delivered message: `email.amazonses.com` in us-east-1,
 * `<region>.amazonses.com` elsewhere (as Nodemailer's own SES transport reports it).
 */
export function messageIdDomain(region: string): string {
  return `${region === 'us-east-1' ? 'email' : region}.amazonses.com`;
}
