/**
 * Several compatible templated messages → one `SendBulkTemplatedEmail`, and its answer → one result
 * per message. Names from the SES model (botocore `botocore/data/ses/2010-12-01/service-2.json`, and
 * the same model in `@aws-sdk/client-ses` `dist-es/schemas/schemas_0.js`): request
 * `SendBulkTemplatedEmailRequest` (`Source`, `SourceArn`, `ReplyToAddresses`, `ReturnPath`,
 * `ReturnPathArn`, `ConfigurationSetName`, `DefaultTags`, `Template`, `TemplateArn`,
 * `DefaultTemplateData` (required), `Destinations` of `BulkEmailDestination` {`Destination`,
 * `ReplacementTags`, `ReplacementTemplateData`}); answer `SendBulkTemplatedEmailResponse.Status`, a
 * list of `BulkEmailDestinationStatus` {`Status`, `Error`, `MessageId`}, one per destination, in order.
 */
import { LocalCodes, SesError } from '../errors.js';
import type { QueryParams } from '../wire/query.js';
import type { TemplatedMessage } from './templated-message.js';

/** Destinations per `SendBulkTemplatedEmail` (SES's limit). */
export const MAX_BULK_DESTINATIONS = 50;

/**
 * `BulkEmailStatus` values SES may retry later: a retry of that destination alone could succeed.
 * Every other status (MessageRejected, TemplateDoesNotExist, AccountDailyQuotaExceeded, …) is final.
 */
const RETRYABLE_STATUSES = new Set(['TransientFailure', 'AccountThrottled']);

/** The bulk request for messages sharing one `bulkKey`. Each destination carries its own data and tags. */
export function bulkParams(messages: readonly TemplatedMessage[]): QueryParams {
  const shared = messages[0]!.shared;
  return {
    Source: shared.Source,
    SourceArn: shared.SourceArn,
    ReplyToAddresses: shared.ReplyToAddresses,
    ReturnPath: shared.ReturnPath,
    ReturnPathArn: shared.ReturnPathArn,
    ConfigurationSetName: shared.ConfigurationSetName,
    Template: shared.Template,
    TemplateArn: shared.TemplateArn,
    // Required by SES; every destination below has its own ReplacementTemplateData, so this is never used.
    DefaultTemplateData: '{}',
    // No DefaultTags: each destination's ReplacementTags are that message's own tags, and no others.
    Destinations: messages.map((m) => ({
      Destination: m.destination as QueryParams,
      ReplacementTags: m.tags,
      ReplacementTemplateData: m.templateData,
    })),
  };
}

/** What one destination of a bulk request came to. */
export type BulkOutcome = { messageId: string } | { error: SesError };

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A Query list as fast-xml-parser gives it: `{ member: x }` or `{ member: [x, y] }`, or '' when empty. */
export function queryList(value: unknown): unknown[] {
  if (!isNode(value)) return [];
  const member = value.member;
  if (member === undefined || member === '') return [];
  return Array.isArray(member) ? member : [member];
}

/**
 * Reads `SendBulkTemplatedEmailResult/Status/member`, one entry per destination sent, in order.
 * `Success` with a MessageId → accepted; any other status → a `SesError` with SES's status as its
 * code (`retryable` only for TransientFailure and AccountThrottled). An answer whose entries do not
 * match the destinations one to one is `EPROTOCOL` for all of them.
 */
export function readBulkAnswer(
  result: Record<string, unknown>,
  count: number,
  meta: { requestId?: string; attempts: number },
): BulkOutcome[] {
  const entries = queryList(result.Status);
  if (entries.length !== count) {
    const err = new SesError(`SendBulkTemplatedEmail answered ${entries.length} statuses for ${count} destinations`, {
      code: LocalCodes.PROTOCOL,
      retryable: false,
      requestId: meta.requestId,
      attempts: meta.attempts,
    });
    return Array.from({ length: count }, () => ({ error: err }));
  }
  return entries.map((entry, i) => {
    const e = isNode(entry) ? entry : {};
    const status = typeof e.Status === 'string' && e.Status ? e.Status : undefined;
    const messageId = typeof e.MessageId === 'string' && e.MessageId ? e.MessageId : undefined;
    if (status === 'Success' && messageId) return { messageId };
    const code = status && status !== 'Success' ? status : LocalCodes.PROTOCOL;
    const text =
      typeof e.Error === 'string' && e.Error
        ? e.Error
        : status === 'Success'
          ? 'Success without a MessageId'
          : `SES answered ${code} for this destination`;
    return {
      error: new SesError(`${text} (destination ${i + 1} of ${count} in a SendBulkTemplatedEmail)`, {
        code,
        retryable: RETRYABLE_STATUSES.has(code),
        requestId: meta.requestId,
        attempts: meta.attempts,
        statusCode: 200,
      }),
    };
  });
}
