/**
 * The Lua script that makes the fleet-wide decision atomically in Redis: a GCRA-style reservation.
 * Each call reserves the next free send slot (one every 1000/rate ms per recipient, on Redis's own clock) and
 * returns how long the caller waits for it, so processes queue for the shared rate instead of failing.
 *
 * KEYS[1] the next free slot (ms, Redis TIME)      KEYS[2] throttle penalty flag (set by throttled())
 * KEYS[3] the shared rate for 'auto'               KEYS[4] sorted set of live senders (heartbeats)
 * ARGV[1] interval ms from the local rate          ARGV[2] 'auto' or 'fixed'
 * ARGV[3] this sender's id                         ARGV[4] heartbeat lifetime ms
 * ARGV[5] the message's cost (its recipients: SES's rate counts recipients)
 * Returns { wait ms, live senders, interval ms in force }.
 *
 * A script of our own rather than a library (rate-limiter-flexible and the like): it is twenty lines,
 * adds no dependency, and its "reserve and wait" behaviour is exactly what a mail queue needs.
 */
export const RESERVE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
if ARGV[2] == 'auto' then
  local shared = tonumber(redis.call('GET', KEYS[3]) or '')
  if shared and shared > 0 then interval = 1000 / shared end
end
if redis.call('EXISTS', KEYS[2]) == 1 then interval = interval * 2 end
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
local nextSlot = slot + interval * tonumber(ARGV[5] or '1')
redis.call('SET', KEYS[1], tostring(nextSlot), 'PX', math.ceil(nextSlot - now + 60000))
local life = tonumber(ARGV[4])
redis.call('ZADD', KEYS[4], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - life)
redis.call('PEXPIRE', KEYS[4], life)
local senders = redis.call('ZCARD', KEYS[4])
return { math.ceil(slot - now), senders, math.ceil(interval) }
`;
