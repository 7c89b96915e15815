/**
 * Reads a Query API answer: success XML → the `<Action>Result` element; `ErrorResponse` XML, JSON
 * from an emulator, an HTML page from a proxy or garbage → a `SesError`. Knows nothing of HTTP
 * clients: it gets a status, headers and the body text.
 */
import type { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LocalCodes, SesError } from '../errors.js';
import { headerOf, type HttpAnswer } from './http-answer.js';

export interface QueryAnswer {
  result: Record<string, unknown>;
  requestId?: string;
}

type Node = Record<string, unknown>;

interface Xml {
  parser: XMLParser;
  validator: typeof XMLValidator;
}

let xml: Promise<Xml> | undefined;

/**
 * fast-xml-parser, loaded on the first answer the fast path below does not take (errors, quotas,
 * STS) and set up once for small, hostile answers: every value stays a string (ids of digits too),
 * no attributes, entities limited to XML's own five (a DOCTYPE is refused before parsing). A process
 * that only ever sees successful sends never loads it, which shortens its start.
 */
function loadXml(): Promise<Xml> {
  xml ??= import('fast-xml-parser').then((m) => ({
    validator: m.XMLValidator,
    parser: new m.XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      removeNSPrefix: true,
      processEntities: true,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
    }),
  }));
  return xml;
}

const DOCTYPE = /<!DOCTYPE/i;
const MAX_BODY_IN_MESSAGE = 200;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

async function parseXml(body: string): Promise<Node | undefined> {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('<') || DOCTYPE.test(body)) return undefined;
  const { parser, validator } = await loadXml();
  if (validator.validate(body) !== true) return undefined;
  try {
    const parsed: unknown = parser.parse(body);
    return isNode(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Not SES's XML: retryable or not by its status alone (a 502 page from a proxy, a plain-text 429), as retry/classify.ts says. */
function protocolError(message: string, statusCode: number): SesError {
  return new SesError(message, { code: LocalCodes.PROTOCOL, statusCode });
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_BODY_IN_MESSAGE ? `${flat.slice(0, MAX_BODY_IN_MESSAGE)}…` : flat;
}

/** An `<ErrorResponse>` (or a bare `<Error>`), from SES or an emulator. */
function errorFromXml(root: Node, answer: HttpAnswer): SesError | undefined {
  const container = isNode(root.ErrorResponse) ? root.ErrorResponse : root;
  const errors = isNode(container.Errors) ? container.Errors : container;
  const error: unknown = Array.isArray(errors.Error) ? errors.Error[0] : errors.Error;
  if (!isNode(error)) return undefined;
  const code = text(error.Code) ?? LocalCodes.PROTOCOL;
  const message = text(error.Message) ?? `SES answered ${code}`;
  const type = text(error.Type);
  const requestId = text(container.RequestId) ?? text(root.RequestId) ?? headerOf(answer, 'x-amzn-requestid');
  return new SesError(message, {
    code,
    statusCode: answer.statusCode,
    requestId,
    type: type === 'Sender' || type === 'Receiver' ? type : undefined,
  });
}

/** JSON error bodies: aws-ses-v2-local's `{ message, detail }`, AWS JSON's `{ __type, message }`. */
function errorFromJson(body: string, answer: HttpAnswer): SesError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isNode(parsed)) return undefined;
  const rawType = text(parsed.__type) ?? text(parsed.code) ?? text(parsed.Code) ?? text(parsed.type);
  const code = rawType ? rawType.slice(rawType.lastIndexOf('#') + 1) : LocalCodes.PROTOCOL;
  const message =
    [text(parsed.message) ?? text(parsed.Message), text(parsed.detail)].filter(Boolean).join(': ') ||
    `SES answered HTTP ${answer.statusCode}`;
  return new SesError(message, { code, statusCode: answer.statusCode, requestId: headerOf(answer, 'x-amzn-requestid') });
}

const fastPaths = new Map<string, RegExp>();

/**
 * SES's usual success answer, exactly: `<XResponse><XResult><MessageId>…</MessageId></XResult>
 * <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></XResponse>`, whitespace allowed, no
 * entities. Read with one anchored expression instead of validating and parsing (25 µs → 1 µs per
 * message); anything else, however slightly different, goes through the full parser.
 */
function fastSuccess(action: string, body: string): QueryAnswer | undefined {
  let re = fastPaths.get(action);
  if (!re) {
    re = new RegExp(
      `^\\s*(?:<\\?xml[^>]*\\?>\\s*)?<${action}Response(?: xmlns="[^"<>]*")?>\\s*<${action}Result>\\s*<MessageId>([^<&]+)</MessageId>\\s*</${action}Result>\\s*` +
        `(?:<ResponseMetadata>\\s*<RequestId>([^<&]*)</RequestId>\\s*</ResponseMetadata>\\s*)?</${action}Response>\\s*$`,
    );
    fastPaths.set(action, re);
  }
  const m = re.exec(body);
  if (!m) return undefined;
  const out: QueryAnswer = { result: { MessageId: m[1]!.trim() } };
  if (m[2]) out.requestId = m[2];
  return out;
}

/**
 * Turns one HTTP answer to `action` into its result, or throws the `SesError` it stands for.
 * Retryability comes from retry/classify.ts (a 502 page from a proxy is retryable; a 200 with
 * something other than the expected XML is `EPROTOCOL`, not retryable).
 */
export async function readQueryResponse(action: string, answer: HttpAnswer): Promise<QueryAnswer> {
  const { statusCode, body } = answer;
  if (statusCode >= 200 && statusCode < 300) {
    const fast = fastSuccess(action, body);
    if (fast) return fast;
  }
  const root = await parseXml(body);
  if (statusCode >= 200 && statusCode < 300) {
    const response = root?.[`${action}Response`];
    if (!isNode(response)) {
      if (root) {
        const error = errorFromXml(root, answer);
        if (error) throw error;
      }
      throw protocolError(`${action}: HTTP ${statusCode} answer is not a ${action}Response: ${snippet(body)}`, statusCode);
    }
    const result = response[`${action}Result`];
    const metadata = response.ResponseMetadata;
    const requestId = (isNode(metadata) ? text(metadata.RequestId) : undefined) ?? headerOf(answer, 'x-amzn-requestid');
    const out: QueryAnswer = { result: isNode(result) ? result : {} };
    if (requestId) out.requestId = requestId;
    return out;
  }
  const error = (root && errorFromXml(root, answer)) || errorFromJson(body, answer);
  if (error) throw error;
  throw protocolError(`${action}: HTTP ${statusCode} with an answer that is not SES XML: ${snippet(body) || '(empty body)'}`, statusCode);
}
