import { DurationError } from './errors';

const UNIT_MILLISECONDS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION = /^(\d{1,9})([smhd])$/u;

/** Parses `90s`, `15m`, `2h` or `30d` into milliseconds; throws a DurationError naming the accepted forms. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) {
    throw new DurationError(
      `Invalid duration "${text}": use a whole number followed by s, m, h or d (e.g. 90s, 15m, 2h, 30d).`,
    );
  }
  const amount = Number(match[1]);
  if (amount === 0) {
    throw new DurationError(`Invalid duration "${text}": it must be longer than zero.`);
  }
  return amount * UNIT_MILLISECONDS[match[2]];
}

/** Formats milliseconds in the largest whole unit, the inverse of parseDuration (e.g. 7776000000 → `90d`). */
export function formatDuration(milliseconds: number): string {
  for (const unit of [ 'd', 'h', 'm' ]) {
    if (milliseconds % UNIT_MILLISECONDS[unit] === 0) {
      return `${milliseconds / UNIT_MILLISECONDS[unit]}${unit}`;
    }
  }
  return `${Math.ceil(milliseconds / 1_000)}s`;
}
