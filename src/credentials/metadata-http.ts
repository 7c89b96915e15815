/**
 * Small HTTP calls to credential endpoints on the local network (container agent, instance metadata):
 * short timeouts, a few tries, never through a proxy, and no socket left open afterwards.
 */
import { credentialsError } from './source.js';
import type { HttpAnswer } from '../wire/http-answer.js';
import { createLocalAgent, sendHttp, type HttpRequest } from '../wire/http.js';

export const METADATA_TIMEOUT_MS = 1000;

export async function metadataRequest(request: Omit<HttpRequest, 'timeout'> & { timeout?: number }, tries = 1): Promise<HttpAnswer> {
  const timeout = request.timeout ?? METADATA_TIMEOUT_MS;
  const agent = createLocalAgent(timeout);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await sendHttp(agent, { ...request, timeout });
        if (res.statusCode >= 500 && attempt < tries) continue;
        return res;
      } catch (err) {
        if (attempt >= tries) throw err;
      }
    }
  } finally {
    await agent.close();
  }
}

/** Parses the JSON credential documents both endpoints answer with. */
export function parseCredentialJson(
  body: string,
  from: string,
): { AccessKeyId?: unknown; SecretAccessKey?: unknown; Token?: unknown; Expiration?: unknown; Code?: unknown } {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object') return parsed;
  } catch {
    // fall through
  }
  throw credentialsError(`${from} answered with something that is not a JSON object`);
}
