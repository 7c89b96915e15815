// B: this package (built, dist/esm), the same message plus a small attachment: the SendRawEmail path.
// The transport is set up exactly as for A; the message (chosen by run.mjs) makes the difference.
export { create } from './a-ses-query-sendemail.mjs';

export const title = 'nodemailer-ses-query, SendRawEmail';
