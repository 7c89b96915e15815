/**
 * The bytes of a form body, written once from start to end: ASCII text as it is, and blobs as
 * base64 with `+ / =` percent-encoded. Sized up front from an estimate and grown if it was short,
 * so megabytes of base64 are produced once, straight into the body. Knows nothing of parameters.
 */

/** Bytes per base64 slice: a multiple of 3, so only the last slice of a blob can end in `=`. */
const SLICE_BYTES = 3 * 16 * 1024;

const ESCAPED: Readonly<Record<string, string>> = { '+': '%2B', '/': '%2F', '=': '%3D' };
const BASE64_SPECIAL = /[+/=]/g;

/**
 * Room to leave for a blob of `bytes` bytes: its base64 length plus 1/32 for escapes. Base64 of a
 * MIME message (ASCII text) holds few `+` or `/` (an ASCII byte yields one only as the third byte of a
 * triple, and only for `> ? ~` and DEL); random bytes need about 1/16, which takes one growth.
 */
export function blobCapacity(bytes: number): number {
  return Math.ceil(bytes / 3) * 4 + (bytes >>> 5) + 16;
}

/** A Buffer over the same memory as `bytes` (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class FormBody {
  private buf: Buffer;
  private length = 0;

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  /** Appends text that is already ASCII (percent-encoded). */
  text(ascii: string): void {
    this.reserve(ascii.length);
    this.length += this.buf.write(ascii, this.length, 'latin1');
  }

  /** Appends `bytes` as base64, `+ / =` percent-encoded, a slice at a time. */
  base64(bytes: Uint8Array): void {
    const source = asBuffer(bytes);
    for (let start = 0; start < source.length; start += SLICE_BYTES) {
      const text = source.toString('base64', start, Math.min(start + SLICE_BYTES, source.length));
      let from = 0;
      BASE64_SPECIAL.lastIndex = 0;
      for (let m = BASE64_SPECIAL.exec(text); m !== null; m = BASE64_SPECIAL.exec(text)) {
        if (m.index > from) this.text(text.slice(from, m.index));
        this.text(ESCAPED[m[0]]!);
        from = m.index + 1;
      }
      if (from < text.length) this.text(from ? text.slice(from) : text);
    }
  }

  /** The body written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.length + n, Math.ceil(this.buf.length * 1.5)));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}
