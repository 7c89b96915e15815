export { SesQueryTransport } from './transport.js';
export type { SesSentMessageInfo, SendQuota } from './transport.js';
export type { SesQueryTransportOptions, SendAction } from './options.js';
export { SesError, LocalCodes } from './errors.js';
export type { LocalCode, SesErrorOptions } from './errors.js';
export type { Credentials, CredentialsOption } from './credentials/types.js';
export type { SesMessageOptions } from './mapping/index.js';
export type { RateLimiter, RateLimiterContext } from './rate-limiter.js';
export { TokenBucketLimiter } from './token-bucket.js';
