/**
 * Loopback hosts: the only hosts where plain `http://` is allowed (local emulators, tests).
 */
import { isIP } from 'node:net';

/** True for `localhost`, `*.localhost`, `127.0.0.0/8` and `::1`, with or without IPv6 brackets. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
