import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import type { QuotaStrategy, Representation, ResourceIdentifier, ValidatorInput } from '@solid/community-server';
import { pipeSafely, Validator } from '@solid/community-server';
// Not re-exported by CSS's index; the package has no `exports` map, so its own classes are imported directly.
import { PayloadHttpError } from '@solid/community-server/dist/util/errors/PayloadHttpError';
import { describeWriteRefusal } from './describePodUsage';
import type { PodQuota } from './PodQuota';

/** The room a write has in its pod, all in bytes. */
interface Room {
  usedBytes: number;
  limitBytes: number;
  /** What is left, counting what the write replaces. */
  leftBytes: number;
  /** The most the write may take: what is left, or what it replaces in a pod already over its quota (shrinking it). */
  allowedBytes: number;
}

/**
 * CSS's `QuotaValidator`, with refusals (413) that say how much the pod uses and may use, and how much more the write
 * needs: "This pod uses 998.2 MB of its 1 GB quota; this write needs 3 MB more than is left." Like CSS's, it refuses
 * a write whose `Content-Length` does not fit before reading it, counts the bytes of one without, and checks again at
 * the end in case other writes filled the pod meanwhile; unlike CSS's, it asks the strategy twice per write, not once
 * per chunk, and reads a body without a length to its end before refusing it (so the message says how much it needed
 * and the client's connection survives), writing none of what does not fit. Imports and restores that
 * were checked up front pass.
 */
export class PodQuotaValidator extends Validator {
  /**
   * @param strategy - CSS's quota strategy (a {@link CachedPodQuotaStrategy}).
   * @param quota - Says which pods an import or restore is writing, checked up front.
   */
  public constructor(private readonly strategy: QuotaStrategy, private readonly quota: PodQuota) {
    super();
  }

  public async handle({ representation, identifier }: ValidatorInput): Promise<Representation> {
    if (this.quota.isCheckedUpFront(identifier.path)) {
      return representation;
    }
    // 1. What is left in the pod; nothing to check outside pods.
    const room = await this.findRoom(identifier);
    if (!room) {
      return representation;
    }
    // 2. An advertised length that does not fit is refused before anything is read.
    const advertised = (await this.strategy.estimateSize(representation.metadata))?.amount;
    if (advertised !== undefined && advertised > room.allowedBytes) {
      throw new PayloadHttpError(describeWriteRefusal({ ...room, neededBytes: advertised - room.leftBytes }));
    }
    // 3. Count the bytes as they pass; 4. at the end, refuse with what the write needed, or check against the pod as it
    // is then (other writes may have filled it). Once over, the rest of the body is read but dropped: failing at once
    // would destroy the request, and with it the client's connection.
    let written = 0;
    const guard = new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void => {
        written += chunk.length;
        done(undefined, written > room.allowedBytes ? undefined : chunk);
      },
      flush: (done: TransformCallback): void => {
        if (written > room.allowedBytes) {
          done(new PayloadHttpError(describeWriteRefusal({ ...room, neededBytes: written - room.leftBytes })));
          return;
        }
        this.findRoom(identifier).then((now): void => done(now && written > now.allowedBytes ?
          new PayloadHttpError(describeWriteRefusal({ ...now, neededBytes: written - now.leftBytes })) :
          undefined), done);
      },
    });
    return { ...representation, data: pipeSafely(representation.data, guard) };
  }

  private async findRoom(identifier: ResourceIdentifier): Promise<Room | undefined> {
    const leftBytes = (await this.strategy.getAvailableSpace(identifier)).amount;
    // CSS's strategy answers this for resources in no pod (`/.internal/`).
    if (leftBytes === Number.MAX_SAFE_INTEGER) {
      return undefined;
    }
    const replaced = (await this.strategy.reporter.getSize(identifier)).amount;
    const limitBytes = this.strategy.limit.amount;
    return { usedBytes: limitBytes - leftBytes + replaced, limitBytes, leftBytes, allowedBytes: Math.max(leftBytes, replaced) };
  }
}
