import type { Texts } from './texts';

const UNITS: readonly [string, number][] = [ [ 'day', 86_400_000 ], [ 'hour', 3_600_000 ], [ 'minute', 60_000 ] ];

/** "expires in 3 days", "expires in 5 hours", …, or "expired". */
export function describeExpiry(until: Date, now: Date, texts: Texts): string {
  const left = until.getTime() - now.getTime();
  if (left <= 0) {
    return texts.relative.expired;
  }
  const [ unit, size ] = UNITS.find(([ , ms ]): boolean => left >= ms) ?? [ 'minute', 60_000 ];
  return texts.relative.in(Math.max(1, Math.floor(left / size)), unit);
}

/** "3 days ago", "5 minutes ago". */
export function describeAgo(then: Date, now: Date, texts: Texts): string {
  const past = Math.max(0, now.getTime() - then.getTime());
  if (past < 60_000) {
    return texts.relative.justNow;
  }
  const [ unit, size ] = UNITS.find(([ , ms ]): boolean => past >= ms) ?? [ 'minute', 60_000 ];
  return texts.relative.ago(Math.floor(past / size), unit);
}
