/** Runs work while holding a named lock: across processes when on Redis ({@link RedisMutex}), else in this process. */
export interface Mutex {
  withLock: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/** A {@link Mutex} for one process: the works of one name run one after the other. */
export class LocalMutex implements Mutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  public async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const next = previous.catch((): void => undefined).then(work);
    this.tails.set(name, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(name) === next) {
        this.tails.delete(name);
      }
    }
  }
}
