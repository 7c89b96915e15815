/**
 * The template keys of a message's `ses` option (`Template`, `TemplateArn`, `TemplateData`): found,
 * checked and split from the other SES options before those go through the usual checks.
 *
 * Names and limits from the SES model: botocore `botocore/data/ses/2010-12-01/service-2.json`
 * (`SendTemplatedEmailRequest`: `Template` required, `TemplateArn`, `TemplateData` required, shape
 * `TemplateData` `"max": 262144`).
 */
import { messageError } from '../errors.js';

/** SES's limit on `TemplateData` (and each `ReplacementTemplateData`). Counted here in UTF-8 bytes, the stricter reading. */
export const MAX_TEMPLATE_DATA_BYTES = 262_144;

/** What a templated message says about its template. */
export interface TemplateChoice {
  /** The template's name (`Template`). */
  Template: string;
  /** The template's ARN, for sending authorization (`TemplateArn`). */
  TemplateArn?: string;
  /** The replacement values as a JSON text (`TemplateData`), `{}` when none were given. */
  TemplateData: string;
}

/** True when the message's `ses` option names a template. */
export function isTemplated(ses: unknown): boolean {
  if (!ses || typeof ses !== 'object') return false;
  const s = ses as Record<string, unknown>;
  return s.Template !== undefined || s.TemplateArn !== undefined;
}

// An SES template ARN: arn:<partition>:ses:<region>:<account>:template/<name>.
const TEMPLATE_ARN = /^arn:[^:]+:ses:[^:]*:[^:]*:template\/(.+)$/;

/** `TemplateData` as SES takes it: an object is JSON-encoded, a string must be a JSON object. */
export function templateDataJson(value: unknown, key = 'ses.TemplateData'): string {
  let json: string;
  if (value === undefined || value === null) {
    json = '{}';
  } else if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw messageError(`${key} is a string that is not valid JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw messageError(`${key} must be a JSON object`);
    json = value;
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    try {
      json = JSON.stringify(value);
    } catch (cause) {
      throw messageError(`${key} cannot be encoded as JSON: ${(cause as Error).message}`);
    }
  } else {
    throw messageError(`${key} must be an object or a JSON text`);
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_TEMPLATE_DATA_BYTES) throw messageError(`${key} is ${bytes} bytes as JSON; SES takes at most ${MAX_TEMPLATE_DATA_BYTES}`);
  return json;
}

/**
 * Splits `ses` into the template choice and the remaining SES options. `Template` may be left out
 * when `TemplateArn` is given: the SES model requires `Template`, so the name is taken from the ARN.
 */
export function splitTemplateOptions(ses: Record<string, unknown>): { template: TemplateChoice; rest: Record<string, unknown> } {
  const { Template, TemplateArn, TemplateData, ...rest } = ses;
  if (Template !== undefined && (typeof Template !== 'string' || !Template)) throw messageError('ses.Template must be a non-empty string');
  if (TemplateArn !== undefined && (typeof TemplateArn !== 'string' || !TemplateArn))
    throw messageError('ses.TemplateArn must be a non-empty string');
  let name = Template;
  if (name === undefined) {
    const m = TEMPLATE_ARN.exec(TemplateArn as string);
    if (!m)
      throw messageError(
        'ses.TemplateArn is not an SES template ARN (arn:…:ses:<region>:<account>:template/<name>); give ses.Template too',
      );
    name = m[1]!;
  }
  const template: TemplateChoice = { Template: name, TemplateData: templateDataJson(TemplateData) };
  if (TemplateArn !== undefined) template.TemplateArn = TemplateArn;
  return { template, rest };
}
