import type { HttpErrorOptions } from '@solid/community-server';
import { generateHttpErrorClass } from '@solid/community-server';

// eslint-disable-next-line ts/naming-convention
const BaseHttpError = generateHttpErrorClass(423, 'LockedHttpError');

/** A write refused because the resource is locked for a while, e.g. its pod is being restored (WebDAV's `423 Locked`). */
export class LockedHttpError extends BaseHttpError {
  public constructor(message?: string, options?: HttpErrorOptions) {
    super(message, options);
  }
}
