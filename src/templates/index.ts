/** SES templates: the templated message mapper, bulk batching and the management client. */
export { isTemplated, templateDataJson, MAX_TEMPLATE_DATA_BYTES } from './template-options.js';
export { mapTemplatedMessage, type TemplatedMessage, type TemplateDestination } from './templated-message.js';
export { bulkParams, readBulkAnswer, MAX_BULK_DESTINATIONS } from './bulk-request.js';
export { Batcher, type Batch, type BatchResult } from './batcher.js';
export { TemplateSending, DEFAULT_MAX_WAIT_MS, type TemplateBatchingOptions, type TemplatedInfo } from './sending.js';
export { SesTemplates, checkTemplate, type SesTemplate, type TemplateMetadata } from './templates-client.js';
