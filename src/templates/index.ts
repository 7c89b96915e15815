/** SES templates: the templated message mapper, bulk batching and the management client. */
export { isTemplated, templateDataJson } from './template-options.js';
export { mapTemplatedMessage, type TemplatedMessage } from './templated-message.js';
export { bulkParams, readBulkAnswer, MAX_BULK_DESTINATIONS } from './bulk-request.js';
export { Batcher, type Batch, type BatchResult } from './batcher.js';
export { TemplateSending, type TemplateBatchingOptions } from './sending.js';
export { SesTemplates, type SesTemplate, type TemplateMetadata } from './templates-client.js';
