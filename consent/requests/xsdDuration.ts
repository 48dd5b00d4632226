import { ConsentParseError } from '../model/errors';

const PARTS: [string, number][] = [ [ 'H', 3_600_000 ], [ 'M', 60_000 ], [ 'S', 1_000 ] ];
const DAY = 86_400_000;
// Only days and time parts: months and years have no fixed length, so they are refused.
const XSD_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/u;

/** Writes whole seconds as an xsd:duration such as `P30D` or `PT90S`. */
export function toXsdDuration(milliseconds: number): string {
  const days = Math.floor(milliseconds / DAY);
  let rest = milliseconds - days * DAY;
  let time = '';
  for (const [ unit, size ] of PARTS) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    time += amount > 0 ? `${amount}${unit}` : '';
  }
  const body = `${days > 0 ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  return body ? `P${body}` : 'PT0S';
}

/** Reads an xsd:duration made of days, hours, minutes and seconds into milliseconds. */
export function fromXsdDuration(text: string): number {
  const match = XSD_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw new ConsentParseError(`Unsupported duration "${text}": use days, hours, minutes and seconds (e.g. P30D, PT2H).`);
  }
  const [ , days, hours, minutes, seconds ] = match.map((part): number => Number(part ?? 0));
  return days * DAY + hours * 3_600_000 + minutes * 60_000 + seconds * 1_000;
}
