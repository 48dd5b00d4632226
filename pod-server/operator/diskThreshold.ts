// The low-disk threshold of `/.fmp/health` (`--disk-low`). Plain TypeScript, shared by the server command and the server.

/** Below how much free space a disk counts as low: a number of bytes, or a share of the disk's size. */
export type DiskThreshold = { bytes: number } | { percent: number };

/** The default threshold: the FMP says its disk is low when less than 5% of it is free. */
export const DEFAULT_DISK_LOW = '5%';

const PERCENT = /^(\d{1,3}(?:\.\d+)?)%$/u;
const BYTES = /^\d{1,16}$/u;

/** Parses `5%` (of the disk's size, 0 to 100) or `2000000000` (bytes); throws an Error naming both forms. */
export function parseDiskThreshold(text: string): DiskThreshold {
  const trimmed = text.trim();
  const percent = PERCENT.exec(trimmed);
  if (percent && Number(percent[1]) <= 100) {
    return { percent: Number(percent[1]) };
  }
  if (BYTES.test(trimmed)) {
    return { bytes: Number(trimmed) };
  }
  throw new Error(`Invalid disk threshold "${text}": use a number of bytes (e.g. 2000000000) or a share of the disk (e.g. 5%).`);
}

/** The free bytes below which a disk of `totalBytes` counts as low. */
export function lowBelowBytes(threshold: DiskThreshold, totalBytes: number): number {
  return 'bytes' in threshold ? threshold.bytes : Math.floor(totalBytes * threshold.percent / 100);
}
