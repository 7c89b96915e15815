// Builds and signs (SigV4, once) the SendEmail request the floor contender posts over and over.
// Written for the bench only; the package has its own encoder and signer.
import { createHash, createHmac } from 'node:crypto';

const REGION = 'us-east-1';
const SERVICE = 'ses';

/** RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone). */
function enc(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** The SendEmail form body for a text + HTML message. */
export function sendEmailBody(msg) {
  const params = [
    ['Action', 'SendEmail'],
    ['Version', '2010-12-01'],
    ['Source', msg.from],
    ...[].concat(msg.to).map((a, i) => [`Destination.ToAddresses.member.${i + 1}`, a]),
    ...[].concat(msg.cc ?? []).map((a, i) => [`Destination.CcAddresses.member.${i + 1}`, a]),
    ['Message.Subject.Data', msg.subject],
    ['Message.Subject.Charset', 'UTF-8'],
    ['Message.Body.Text.Data', msg.text],
    ['Message.Body.Text.Charset', 'UTF-8'],
    ['Message.Body.Html.Data', msg.html],
    ['Message.Body.Html.Charset', 'UTF-8'],
  ];
  return Buffer.from(params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));
}

/** Headers (with a real SigV4 Authorization) for POSTing `body` to `host`. */
export function signedHeaders(body, host, accessKeyId = 'AKID', secretAccessKey = 'SECRET', now = new Date()) {
  const amzDate = now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
  const signed = 'content-type;host;x-amz-date';
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${contentType}`,
    `host:${host}`,
    `x-amz-date:${amzDate}`,
    '',
    signed,
    sha256(body),
  ].join('\n');
  const scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), REGION), SERVICE), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'content-type': contentType,
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`,
  };
}
