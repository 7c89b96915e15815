/**
 * Closes a Nodemailer transporter and waits for it. Nodemailer's Mail forwards close() to the transport and
 * returns what the transport returns (SesQueryTransport: a promise that settles when the pool is closed),
 * but its types say `close(): void`, so `await t.close()` reads as awaiting nothing.
 */
export function closeTransporter(transporter: { close(): void } | undefined): Promise<void> {
  return Promise.resolve(transporter?.close() as Promise<void> | undefined);
}
