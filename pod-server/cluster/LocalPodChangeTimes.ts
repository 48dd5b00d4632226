import type { PodChangeTimes } from './PodChangeTimes';

/** Pod change times heard by this process, in its memory. */
export class LocalPodChangeTimes implements PodChangeTimes {
  private readonly times = new Map<string, number>();

  public record(podRoot: string, time: number): void {
    this.times.set(podRoot, time);
  }

  public async lastChange(podRoot: string): Promise<number | undefined> {
    return this.times.get(podRoot);
  }
}
