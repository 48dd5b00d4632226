import { DataFactory } from 'n3';
import { generateHttpErrorClass, RepresentationMetadata } from '@solid/community-server';

/** The metadata predicate CSS's `MappedMetadataWriter` writes as the `Retry-After` header (see `rate-limits.json`). */
export const RETRY_AFTER_PREDICATE = 'urn:fmp:http:retry-after';

// Components.js never builds errors, so this stays out of pod-server/index.ts.
const BaseHttpError = generateHttpErrorClass(429, 'TooManyRequestsHttpError');

/** `429 Too Many Requests`, saying in `Retry-After` how many seconds to wait, for CSS's own error handling. */
export class TooManyRequestsHttpError extends BaseHttpError {
  public constructor(message: string, public readonly retryAfter: number) {
    const metadata = new RepresentationMetadata();
    metadata.add(DataFactory.namedNode(RETRY_AFTER_PREDICATE), DataFactory.literal(String(retryAfter)));
    super(message, { metadata });
  }
}
