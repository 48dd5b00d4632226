/** The kinds of request the FMP rate-limits; every other request is never counted. */
export type LimitedRequest = 'signup' | 'login' | 'consent' | 'inbox';

const WRITE_METHODS = new Set([ 'POST', 'PUT', 'PATCH', 'DELETE' ]);
/** A member's inbox container: the first segment is the pod (CSS's `storage/location/pod.json`). */
const MEMBER_INBOX = /^\/[^/]+\/inbox\/$/u;

/**
 * Which limited kind a request is, from its method and its path below the server's base path (query left out):
 * account creation (`POST /.account/account/`), a password login (`POST /.account/login/password/`), a write to the
 * consent API (`/.fmp/consent/…`) or a post to an inbox (`/.fmp/inbox`, `/<member>/inbox/`).
 */
export function classifyRequest(method: string, path: string): LimitedRequest | undefined {
  if (!isWriteMethod(method)) {
    return undefined;
  }
  if (path.startsWith('/.fmp/consent/')) {
    return 'consent';
  }
  if (method !== 'POST') {
    return undefined;
  }
  if (path === '/.account/account/') {
    return 'signup';
  }
  if (path === '/.account/login/password/') {
    return 'login';
  }
  return path === '/.fmp/inbox' || path === '/.fmp/inbox/' || MEMBER_INBOX.test(path) ? 'inbox' : undefined;
}

/** Whether requests with this method may be limited at all: reads never are. */
export function isWriteMethod(method: string): boolean {
  return WRITE_METHODS.has(method);
}
