/** `nodemailer-ses-query/redis`: one SES sending rate shared by a fleet, through Redis. */
export { RedisRateLimiter } from './redis-rate-limiter.js';
export type { RedisRateLimiterOptions } from './redis-rate-limiter.js';
export { RedisSeenStore } from './redis-seen-store.js';
export type { RedisSeenStoreOptions } from './redis-seen-store.js';
