import { FmpClientError } from '../client/FmpClientError';

const MEMBER_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;
// Deliberately simple: the server checks e-mails too; this catches typos before an account is made.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/** Refuses a member name that would not be its own pod path segment as typed. */
export function assertMemberName(name: string): void {
  if (!MEMBER_NAME.test(name)) {
    throw new FmpClientError(`"${name}" is not a valid member name: use lower-case letters, digits and dashes (at most 63)`);
  }
}

/** Refuses an e-mail address that is obviously malformed. */
export function assertEmail(email: string): void {
  if (!EMAIL.test(email)) {
    throw new FmpClientError(`"${email}" is not a valid e-mail address`);
  }
}

/** The pod URL of member `name` on `server`. */
export function getPodUrl(server: string, name: string): string {
  return new URL(`${name}/`, server).href;
}
