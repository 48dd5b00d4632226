import type { Grantee, GrantMode, Purpose } from '../model/Grant';

/** Where a request stands; `approved` and `denied` are final. */
export type AccessRequestStatus = 'pending' | 'approved' | 'denied';

/** What an app, agent or peer service asks a member for, posted to the member's `inbox/`. */
export interface AccessRequest {
  /** IRI of the request resource. */
  id: string;
  /** Who asks; becomes the grantee when approved. */
  requester: Grantee;
  /** WebID of the member asked. */
  grantor: string;
  /** Resources or containers of the member's pod. */
  scope: string[];
  modes: GrantMode[];
  purpose: Purpose;
  /** How long access is wanted, in milliseconds. */
  duration: number;
  requestedAt: Date;
  status: AccessRequestStatus;
  /** When the member approved or denied it. */
  decidedAt?: Date;
}

/** Thrown when a request cannot be approved or denied as asked. */
export class AccessRequestError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'AccessRequestError';
  }
}
