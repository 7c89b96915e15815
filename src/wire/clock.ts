/**
 * The offset between this machine's clock and SES's, learnt from the `Date` header of every answer,
 * successful or not, and kept for later requests so the next signature carries SES's time.
 *
 * Follows aws-sdk-js-v3 `@aws-sdk/core` 3.981 `httpAuthSchemes/aws_sdk/AwsSdkSigV4Signer.js`
 * (`successHandler`, `errorHandler`) and `utils/getUpdatedSystemClockOffset.js`: an answer with an
 * `Age` header (a cached answer) or one that took more than 15 minutes to arrive says nothing about
 * the clock; an offset of 4 minutes or more that this answer changed counts as a correction, after
 * which a request refused for its time is worth one retry.
 */

/** An offset this large is a skew worth correcting (SES itself allows 5 minutes). */
export const CLOCK_SKEW_THRESHOLD_MS = 240_000;
const MAX_ROUND_TRIP_MS = 900_000;

export interface ClockSample {
  /** The answer's `Date` header. */
  date: string | undefined;
  /** The answer's `Age` header: present on cached answers, which are not sampled. */
  age?: string | undefined;
  /** When the request was sent (same clock as `now`). */
  sentAt?: number;
  /** The offset the request was signed with (not the one held now: another answer may have moved it meanwhile). */
  signedWith?: number;
}

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

  /**
   * Learns the offset from an answer. True when this answer corrected a skew of 4 minutes or more,
   * so that a request refused for its time would now be signed differently.
   */
  sample({ date, age, sentAt, signedWith }: ClockSample): boolean {
    if (!date || age !== undefined) return false;
    const server = Date.parse(date);
    if (!Number.isFinite(server)) return false;
    const received = this.now();
    if (sentAt !== undefined && received - sentAt > MAX_ROUND_TRIP_MS) return false;
    // Compared with the offset this request was signed with (the SDK's _preRequestSystemClockOffset),
    // so that every one of several requests signed before the first correction is retried.
    const before = signedWith ?? this.offsetMs;
    this.offsetMs = server - received;
    return Math.abs(this.offsetMs) >= CLOCK_SKEW_THRESHOLD_MS && this.offsetMs !== before;
  }
}
