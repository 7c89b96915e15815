/**
 * Mailboxes for SendEmail's parameters, which SES parses as RFC 5322 and which must be 7-bit ASCII:
 * display names kept (quoted, or as RFC 2047 encoded-words when not ASCII), domains in Punycode
 * (Nodemailer has already converted them).
 */

/** A parsed address as Nodemailer gives it. */
export interface ParsedAddress {
  address: string;
  name?: string;
}

const ATOM_TEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// Base64 of 45 bytes is 60 characters: with "=?UTF-8?B?" and "?=" an encoded-word stays under 75.
const MAX_WORD_BYTES = 45;

/** RFC 2047 B-encoded words, split at character boundaries so no word exceeds 75 characters. */
export function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  let chunkBytes = 0;
  for (const char of text) {
    const bytes = Buffer.byteLength(char);
    if (chunkBytes + bytes > MAX_WORD_BYTES && chunk) {
      words.push(chunk);
      chunk = '';
      chunkBytes = 0;
    }
    chunk += char;
    chunkBytes += bytes;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/** `name` as a phrase: bare when it is plain words, quoted when it has specials, encoded when not ASCII. */
export function displayName(name: string): string {
  if (!PRINTABLE_ASCII.test(name)) return encodedWords(name);
  if (ATOM_TEXT.test(name) && name.trim() === name && !/ {2}/.test(name)) return name;
  return `"${name.replace(/[\\"]/g, '\\$&')}"`;
}

/** `Name <address>` or the bare address. */
export function formatMailbox({ address, name }: ParsedAddress): string {
  return name ? `${displayName(name)} <${address}>` : address;
}

/** True when SendEmail can carry the address: ASCII local part (SES does not take others). */
export function isAsciiAddress(address: string): boolean {
  return PRINTABLE_ASCII.test(address);
}
