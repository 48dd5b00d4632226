import type { PodSizeTotals } from './PodSizeTotals';

/** Pod totals in this process's memory. */
export class LocalPodSizeTotals implements PodSizeTotals {
  private readonly totals = new Map<string, number>();

  public async findFirst(containers: string[]): Promise<number | undefined> {
    for (const container of containers) {
      const total = this.totals.get(container);
      if (total !== undefined) {
        return total;
      }
    }
  }

  public async setIfUnknown(podRoot: string, total: number): Promise<void> {
    if (!this.totals.has(podRoot)) {
      this.totals.set(podRoot, total);
    }
  }

  public async addToKnown(containers: string[], difference: number): Promise<string[]> {
    const changed: string[] = [];
    for (const container of containers) {
      const total = this.totals.get(container);
      if (total !== undefined) {
        this.totals.set(container, total + difference);
        changed.push(container);
      }
    }
    return changed;
  }

  public async forget(podRoot: string): Promise<void> {
    this.totals.delete(podRoot);
  }
}
