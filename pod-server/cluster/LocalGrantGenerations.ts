import type { GrantGenerations } from './GrantGenerations';

/** Grant generations of one FMP process, in its memory. */
export class LocalGrantGenerations implements GrantGenerations {
  private readonly generations = new Map<string, number>();

  public async current(podRoot: string): Promise<string> {
    return String(this.generations.get(podRoot) ?? 0);
  }

  public async advance(podRoot: string): Promise<void> {
    this.generations.set(podRoot, (this.generations.get(podRoot) ?? 0) + 1);
  }
}
