/**
 * SES's header convention, for framework mailers that pass only standard fields and headers
 * (Strapi, Redwood, …): X-SES-CONFIGURATION-SET, X-SES-MESSAGE-TAGS, X-SES-SOURCE-ARN,
 * X-SES-FROM-ARN, X-SES-RETURN-PATH-ARN. SES reads them itself from a raw message and drops them
 * before delivery; read here too, they become the matching parameters, so that parameters and headers
 * agree and the tags are checked before sending. A parameter given in `ses` wins, as it does at SES.
 */
import { normalizeSesOptions, type NormalizedSesOptions } from './ses-options.js';

const HEADER_TO_OPTION: Record<string, 'ConfigurationSetName' | 'SourceArn' | 'FromArn' | 'ReturnPathArn'> = {
  'x-ses-configuration-set': 'ConfigurationSetName',
  'x-ses-source-arn': 'SourceArn',
  'x-ses-from-arn': 'FromArn',
  'x-ses-return-path-arn': 'ReturnPathArn',
};
const TAGS_HEADER = 'x-ses-message-tags';

/** Header name/value pairs from Nodemailer's `headers` option (an object or a list of `{ key, value }`). */
function headerPairs(headers: unknown): Array<[string, string]> {
  if (!headers || typeof headers !== 'object') return [];
  const pairs: Array<[string, string]> = [];
  const push = (key: unknown, value: unknown) => {
    if (typeof key !== 'string') return;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const text = typeof v === 'object' && v !== null && 'value' in v ? v.value : v;
      if (typeof text === 'string' || typeof text === 'number') pairs.push([key.toLowerCase(), String(text).trim()]);
    }
  };
  if (Array.isArray(headers)) for (const h of headers) push((h as { key?: unknown })?.key, (h as { value?: unknown })?.value);
  else for (const [key, value] of Object.entries(headers)) push(key, value);
  return pairs;
}

/** The SES options a message's X-SES-* headers stand for (checked like the `ses` key). */
export function sesOptionsFromHeaders(headers: unknown): NormalizedSesOptions | undefined {
  const found: Record<string, unknown> = {};
  for (const [name, value] of headerPairs(headers)) {
    if (!value) continue;
    const option = HEADER_TO_OPTION[name];
    if (option) found[option] = value;
    else if (name === TAGS_HEADER) {
      found.Tags = value.split(',').map((pair) => {
        const eq = pair.indexOf('=');
        return eq === -1 ? { Name: pair.trim(), Value: '' } : { Name: pair.slice(0, eq).trim(), Value: pair.slice(eq + 1).trim() };
      });
    }
  }
  return Object.keys(found).length ? normalizeSesOptions(found, 'message') : undefined;
}
