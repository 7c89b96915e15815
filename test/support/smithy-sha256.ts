// A Sha256 class over node:crypto in the shape @smithy/signature-v4 expects, so the tests can sign
// with AWS's own signer as an independent implementation.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

export class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
