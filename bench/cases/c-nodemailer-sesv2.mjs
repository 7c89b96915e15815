// C: Nodemailer's built-in SES transport with @aws-sdk/client-sesv2 (SESv2 SendEmail, Content.Raw).
import nodemailer from 'nodemailer';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export const title = 'Nodemailer SES transport + @aws-sdk/client-sesv2';

/** @param {{ endpoint: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string } }} o */
export async function create(o) {
  const sesClient = new SESv2Client({ region: o.region, endpoint: o.endpoint, credentials: o.credentials });
  const transport = nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } });
  return {
    send: (message) => transport.sendMail(message),
    close: async () => sesClient.destroy(),
  };
}
