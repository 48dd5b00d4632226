import { statfs } from 'node:fs/promises';
import type { DiskThreshold } from './diskThreshold';
import { lowBelowBytes, parseDiskThreshold } from './diskThreshold';

/** The space on the data folder's disk, as `/.fmp/health` reports it. */
export interface DiskSpace {
  /** Bytes the server may still write (what `df` shows as available, not counting space reserved for root). */
  freeBytes: number;
  totalBytes: number;
  /** The threshold in bytes: below it the disk is low. */
  lowBelowBytes: number;
  low: boolean;
}

/** Measures the free space on the disk that holds the FMP's data, and whether it is below the operator's threshold. */
export class DataFolderSpace {
  private readonly threshold: DiskThreshold;

  /**
   * @param folder - A folder on the data disk (the pods folder).
   * @param diskLow - The threshold (`--disk-low`): bytes (`2000000000`) or a share of the disk (`5%`).
   */
  public constructor(private readonly folder: string, diskLow: string) {
    this.threshold = parseDiskThreshold(diskLow);
  }

  /** Asks the file system now (`statfs`): it is cheap, and the answer must not be stale when the disk fills. */
  public async measure(): Promise<DiskSpace> {
    const stats = await statfs(this.folder);
    const freeBytes = stats.bavail * stats.bsize;
    const totalBytes = stats.blocks * stats.bsize;
    const lowBelow = lowBelowBytes(this.threshold, totalBytes);
    return { freeBytes, totalBytes, lowBelowBytes: lowBelow, low: freeBytes < lowBelow };
  }
}
