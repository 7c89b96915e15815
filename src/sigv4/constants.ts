/** Every SigV4 wire string in one place. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const KEY_PREFIX = 'AWS4';
export const SCOPE_TERMINATOR = 'aws4_request';
export const AMZ_DATE_HEADER = 'x-amz-date';
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';
export const AUTHORIZATION_HEADER = 'authorization';
export const HOST_HEADER = 'host';
export const CONTENT_TYPE_HEADER = 'content-type';
