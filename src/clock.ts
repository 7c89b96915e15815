/**
 * The offset between this machine's clock and SES's, learnt from the `Date` header of an answer that
 * rejected a signature as expired. Kept for later requests so the next signature is right at once.
 */
export class ClockOffset {
  private offsetMs = 0;
  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds added to the local clock when signing. */
  get value(): number {
    return this.offsetMs;
  }

  /** The date to sign the next request with. */
  signingDate(): Date {
    return new Date(this.now() + this.offsetMs);
  }

  /** Learns the offset from a server `Date` header; false when there is no usable date. */
  correct(serverDate: string | undefined): boolean {
    if (!serverDate) return false;
    const server = Date.parse(serverDate);
    if (!Number.isFinite(server)) return false;
    this.offsetMs = server - this.now();
    return true;
  }
}
