// B: this package (built, dist/esm), the same message plus a small attachment: the SendRawEmail path.
import nodemailer from 'nodemailer';
import { SesQueryTransport } from '../../dist/esm/index.js';

export const title = 'nodemailer-ses-query, SendRawEmail';

/** @param {{ endpoint: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string }, connections: number }} o */
export async function create(o) {
  const transport = nodemailer.createTransport(
    new SesQueryTransport({ region: o.region, endpoint: o.endpoint, credentials: o.credentials, maxConnections: o.connections }),
  );
  return {
    send: (message) => transport.sendMail(message),
    close: () => transport.close(),
  };
}
