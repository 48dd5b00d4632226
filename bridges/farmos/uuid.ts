import { createHash } from 'node:crypto';

/** The namespace of the bridge's name-based UUIDs (a version 4 UUID picked once for fmp-vault). */
const NAMESPACE = Buffer.from('5b0e6c2a7f3d4c1e9a8b2d4f6e8a0c13', 'hex');

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) for `name`: the same name always gives the same UUID, so a record the
 * bridge creates in farmOS with it is found again after a crash or a retry instead of being made twice.
 */
export function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/u;

/** Whether `text` is a UUID in lower case, as farmOS writes them. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
