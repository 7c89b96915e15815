/**
 * Typed calls for SES's stored templates, over a transport's (or any) `QueryClient`:
 * ListTemplates, GetTemplate, CreateTemplate, UpdateTemplate, DeleteTemplate, TestRenderTemplate.
 *
 * Names from the SES model, botocore `botocore/data/ses/2010-12-01/service-2.json`: `ListTemplates`
 * (`MaxItems`, `NextToken` → `TemplatesMetadata` list of `TemplateMetadata` {`Name`,
 * `CreatedTimestamp`}, `NextToken`), `GetTemplate` (`TemplateName` → `Template`), the `Template`
 * structure {`TemplateName` (required), `SubjectPart`, `TextPart`, `HtmlPart`}, `CreateTemplate` /
 * `UpdateTemplate` (`Template`), `DeleteTemplate` (`TemplateName`), `TestRenderTemplate`
 * (`TemplateName`, `TemplateData` → `RenderedTemplate`).
 */
import { LocalCodes, SesError, messageError } from '../errors.js';
import type { QueryParams } from '../wire/query.js';
import { queryList } from './bulk-request.js';
import { templateDataJson } from './template-options.js';

/** A stored template, as SES's `Template` structure. */
export interface SesTemplate {
  TemplateName: string;
  SubjectPart?: string;
  TextPart?: string;
  HtmlPart?: string;
}

export interface TemplateMetadata {
  name: string;
  /** When SES created it (undefined when the answer had no parseable timestamp). */
  createdTimestamp: Date | undefined;
}

export interface TemplateQueryClient {
  call(
    action: string,
    params: QueryParams,
    options?: { signal?: AbortSignal },
  ): Promise<{ result: Record<string, unknown>; requestId?: string }>;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function checkName(name: unknown, what = 'template name'): string {
  if (typeof name !== 'string' || !name) throw messageError(`The ${what} must be a non-empty string`);
  return name;
}

/** Checks a template given by a caller (e.g. read from a file) and keeps only SES's four fields. */
export function checkTemplate(value: unknown): SesTemplate {
  const t = (value && typeof value === 'object' && 'Template' in value ? value.Template : value) as Record<string, unknown> | null;
  if (!t || typeof t !== 'object' || Array.isArray(t))
    throw messageError('A template must be an object { TemplateName, SubjectPart, TextPart, HtmlPart }');
  const out: SesTemplate = { TemplateName: checkName(t.TemplateName, 'TemplateName') };
  for (const key of ['SubjectPart', 'TextPart', 'HtmlPart'] as const) {
    if (t[key] === undefined) continue;
    if (typeof t[key] !== 'string') throw messageError(`Template ${key} must be a string`);
    out[key] = t[key];
  }
  for (const key of Object.keys(t)) {
    if (!['TemplateName', 'SubjectPart', 'TextPart', 'HtmlPart'].includes(key))
      throw messageError(`Unknown template field "${key}"; SES templates have TemplateName, SubjectPart, TextPart, HtmlPart`);
  }
  return out;
}

export class SesTemplates {
  /** {@link checkTemplate}: accepts `{ TemplateName, … }` or the AWS CLI's `{ Template: { … } }`; throws EMESSAGE. */
  static check(value: unknown): SesTemplate {
    return checkTemplate(value);
  }

  constructor(private readonly client: TemplateQueryClient) {}

  /** One page of template names (SES returns at most `maxItems`, 10 by default, 100 at most… as it decides). */
  async list(
    options: { maxItems?: number; nextToken?: string; signal?: AbortSignal } = {},
  ): Promise<{ templates: TemplateMetadata[]; nextToken?: string }> {
    const { result } = await this.client.call(
      'ListTemplates',
      { MaxItems: options.maxItems, NextToken: options.nextToken },
      { signal: options.signal },
    );
    const templates = queryList(result.TemplatesMetadata).map((m) => {
      const node = (m ?? {}) as Record<string, unknown>;
      const created = str(node.CreatedTimestamp);
      const date = created ? new Date(created) : undefined;
      return { name: str(node.Name) ?? '', createdTimestamp: date && !Number.isNaN(date.getTime()) ? date : undefined };
    });
    const nextToken = str(result.NextToken);
    return nextToken ? { templates, nextToken } : { templates };
  }

  /** Every template, following `NextToken`. */
  async listAll(options: { signal?: AbortSignal } = {}): Promise<TemplateMetadata[]> {
    const all: TemplateMetadata[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.list({ nextToken, signal: options.signal });
      all.push(...page.templates);
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  /** The stored template; rejects with SES's `TemplateDoesNotExist` when there is none. */
  async get(name: string, options: { signal?: AbortSignal } = {}): Promise<SesTemplate> {
    const { result } = await this.client.call('GetTemplate', { TemplateName: checkName(name) }, options);
    const t = (result.Template ?? {}) as Record<string, unknown>;
    const out: SesTemplate = { TemplateName: str(t.TemplateName) ?? name };
    for (const key of ['SubjectPart', 'TextPart', 'HtmlPart'] as const) {
      const v = str(t[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  async create(template: SesTemplate, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.call('CreateTemplate', { Template: { ...checkTemplate(template) } }, options);
  }

  async update(template: SesTemplate, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.call('UpdateTemplate', { Template: { ...checkTemplate(template) } }, options);
  }

  /** Updates the template, or creates it when SES says it does not exist. */
  async put(template: SesTemplate, options: { signal?: AbortSignal } = {}): Promise<'created' | 'updated'> {
    try {
      await this.update(template, options);
      return 'updated';
    } catch (err) {
      if (!(err instanceof SesError) || err.code !== 'TemplateDoesNotExist') throw err;
    }
    await this.create(template, options);
    return 'created';
  }

  async delete(name: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.call('DeleteTemplate', { TemplateName: checkName(name) }, options);
  }

  /** The MIME message SES renders from the template and `data` (an object or JSON text). */
  async testRender(name: string, data: unknown, options: { signal?: AbortSignal } = {}): Promise<string> {
    const { result, requestId } = await this.client.call(
      'TestRenderTemplate',
      { TemplateName: checkName(name), TemplateData: templateDataJson(data, 'TemplateData') },
      options,
    );
    const rendered = str(result.RenderedTemplate);
    if (rendered === undefined)
      throw new SesError('TestRenderTemplate answer has no RenderedTemplate', { code: LocalCodes.PROTOCOL, retryable: false, requestId });
    return rendered;
  }
}
