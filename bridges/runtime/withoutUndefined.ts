/** Drops `undefined` properties from a fresh object literal, so documents and hashes are stable and print cleanly. */
export function withoutUndefined<T extends object>(object: T): T {
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (record[key] === undefined) {
      delete record[key];
    }
  }
  return object;
}
