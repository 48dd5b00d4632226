import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import { getLoggerFor } from '@solid/community-server';
import { extract } from 'tar-stream';
import type { Header } from 'tar-stream';
import {
  checkEntryName, declaredContentTypeOf, describeValue, declaredSourcePodOf, DUMP_ENTRY, MANIFEST_ENTRY, RESOURCES_PREFIX,
} from './archiveFormat';
import { ArchiveError } from './ArchiveError';

/** One entry written to the staging folder, with what was measured while writing it. */
export interface StagedEntry {
  name: string;
  /** The staged copy (named by position, never by the entry name); undefined for directories. */
  file?: string;
  directory: boolean;
  size: number;
  sha256: string;
  /** The media type the entry's pax header declares (exports name each document's); the manifest's is what counts. */
  declaredContentType?: string;
  /** What an early check (see {@link ArchiveStager.stage}) found, and under which media type and base URL. */
  earlyCheck?: { as: string; error?: Error };
}

/** An archive unpacked into a staging folder: its entries in archive order and its manifest's text. */
export interface StagedArchive {
  entries: Map<string, StagedEntry>;
  manifestText?: string;
  /** The pod URL the root entry's pax header declares. */
  declaredSourcePod?: string;
}

/** Checks entries as soon as they are staged, while the rest of the archive is still arriving. */
export interface EarlyEntryCheck {
  /** Whether to check the entry named so (its bytes are then kept in memory until it is checked). */
  wantsEarly: (name: string, declaredContentType: string | undefined, staged: StagedArchive) => boolean;
  /** Checks a staged entry, given its bytes. */
  checkEarly: (entry: StagedEntry, staged: StagedArchive, bytes: Buffer) => Promise<void>;
}

/** How many bytes of staged entries may wait for their early check before staging waits for the checks. */
const MAX_BYTES_AWAITING_CHECK = 32_000_000;

// Tar entry types that are plain data; links, devices and FIFOs are refused.
const FILE_TYPES = new Set([ 'file', 'contiguous-file' ]);

/**
 * Unpacks an uploaded tar archive into a staging folder, refusing it as soon as an entry is unsafe:
 * links and devices, unsafe or duplicate names, an entry or a whole archive over the size limits, a truncated stream.
 * Streams: holds one chunk at a time (the manifest, within the entry limit, is kept as text).
 */
export class ArchiveStager {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param maxArchiveBytes - The largest archive accepted (413 beyond).
   * @param maxEntryBytes - The largest single pod resource accepted (413 beyond); the N-Quads dump, which holds all of a
   *   pod's RDF and is never written into a pod, is bounded by the archive's limit only.
   */
  public constructor(public readonly maxArchiveBytes: number, public readonly maxEntryBytes: number) {}

  /**
   * Unpacks `input` into `folder` (which must exist and be empty). `early` checks the entries it wants once each is
   * staged, one at a time, while the upload goes on, so slow checks overlap with it; all have ended when this resolves.
   */
  public async stage(input: Readable, folder: string, early?: EarlyEntryCheck): Promise<StagedArchive> {
    const tar = extract();
    const staged: StagedArchive = { entries: new Map() };
    let total = 0;
    let refusal: ArchiveError | undefined;
    // The entry being staged: destroying the tar stream alone leaves a reader of its entry waiting forever.
    let current: { destroy: (error?: Error) => void } | undefined;
    const stop = (error: Error): void => {
      current?.destroy(error);
      tar.destroy(error);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > this.maxArchiveBytes) {
        refusal = new ArchiveError(413, `The archive is larger than this FMP accepts (${this.maxArchiveBytes} bytes).`);
        stop(refusal);
      } else if (!tar.write(chunk)) {
        input.pause();
      }
    };
    let ended = false;
    const onEnd = (): void => {
      ended = true;
      tar.end(null);
    };
    // A client that goes away mid-upload ends the request without 'end': stop waiting for the rest.
    const onCutOff = (): void => {
      if (!ended) {
        stop(new Error('the upload was cut off'));
      }
    };
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onCutOff);
    input.once('close', onCutOff);
    tar.on('drain', (): void => {
      input.resume();
    });
    // Cut off before staging began (while the route checked the pod): its 'close' has come and gone.
    if (input.destroyed && !input.readableEnded) {
      onCutOff();
    }
    // The entries' checks run in turn, behind the upload; a failure is reported once staging ends.
    let checks = Promise.resolve();
    let bytesAwaitingCheck = 0;
    let checkFailure: Error | undefined;
    try {
      let index = 0;
      for await (const entry of tar) {
        current = entry;
        const pax = (entry.header.pax ?? {}) as Record<string, unknown>;
        const declaredContentType = declaredContentTypeOf(pax);
        if (entry.header.name === RESOURCES_PREFIX) {
          staged.declaredSourcePod = declaredSourcePodOf(pax) ?? staged.declaredSourcePod;
        }
        const chunks = early && (entry.header.size ?? 0) <= MAX_BYTES_AWAITING_CHECK &&
          early.wantsEarly(entry.header.name, declaredContentType, staged) ? [] as Buffer[] : undefined;
        const stagedEntry = await this.stageEntry(entry.header, entry as unknown as AsyncIterable<Buffer>, join(folder, String(index)),
          staged, chunks);
        if (stagedEntry) {
          stagedEntry.declaredContentType = declaredContentType;
        }
        if (stagedEntry && chunks) {
          const bytes = Buffer.concat(chunks);
          bytesAwaitingCheck += bytes.length;
          // Each check after a turn of the event loop, so that a backlog of checks does not hold up the upload.
          checks = checks.then(async(): Promise<void> => {
            await setImmediatePromise();
            await early!.checkEarly(stagedEntry, staged, bytes);
          }).catch((error: Error): never => {
            checkFailure ??= error;
            throw error;
          }).finally((): void => {
            bytesAwaitingCheck -= bytes.length;
          });
          // Handled where it is awaited; this keeps a failure from counting as unhandled meanwhile.
          checks.catch((): void => undefined);
          if (bytesAwaitingCheck > MAX_BYTES_AWAITING_CHECK) {
            await checks;
          }
        }
        index += 1;
      }
      await checks;
    } catch (error: unknown) {
      await checks.catch((): void => undefined);
      throw refusal ?? checkFailure ?? (ArchiveError.isInstance(error) ? error :
        new ArchiveError(400, `The archive is truncated or not a tar file: ${(error as Error).message}.`, undefined, { cause: error }));
    } finally {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onCutOff);
      input.off('close', onCutOff);
      tar.destroy();
    }
    return staged;
  }

  /** Stages one entry into `file`; `chunks`, if given, also gets its bytes. */
  private async stageEntry(header: Header, data: AsyncIterable<Buffer>, file: string, staged: StagedArchive, chunks?: Buffer[]):
  Promise<StagedEntry | undefined> {
    const type = header.type ?? 'file';
    const directory = type === 'directory';
    let name = header.name;
    if (!directory && !FILE_TYPES.has(type)) {
      throw new ArchiveError(400, `Refused entry ${describeValue(name)}: ${type} entries (links, devices) are not allowed.`, name);
    }
    if (directory && !name.endsWith('/')) {
      name = `${name}/`;
    }
    if (!directory && name.endsWith('/')) {
      throw new ArchiveError(400, `Refused entry ${describeValue(name)}: a file name cannot end with a slash.`, name);
    }
    checkEntryName(name);
    if (staged.entries.has(name) || (name === MANIFEST_ENTRY && staged.manifestText !== undefined)) {
      throw new ArchiveError(400, `Refused entry ${describeValue(name)}: it appears twice in the archive.`, name);
    }
    if (name !== DUMP_ENTRY && (header.size ?? 0) > this.maxEntryBytes) {
      throw new ArchiveError(413, `Refused entry ${describeValue(name)}: it is ${header.size} bytes, more than the ` +
        `${this.maxEntryBytes} bytes this FMP accepts per entry.`, name);
    }
    const hash = createHash('sha256');
    let size = 0;
    if (name === MANIFEST_ENTRY) {
      const chunks: Buffer[] = [];
      for await (const chunk of data) {
        chunks.push(chunk);
      }
      staged.manifestText = Buffer.concat(chunks).toString('utf8');
      return undefined;
    }
    const out = directory ? undefined : createWriteStream(file, { mode: 0o600 });
    try {
      for await (const chunk of data) {
        size += chunk.length;
        hash.update(chunk);
        chunks?.push(chunk);
        if (out && !out.write(chunk)) {
          await once(out, 'drain');
        }
      }
    } finally {
      if (out) {
        out.end();
        await once(out, 'close');
      }
    }
    const stagedEntry: StagedEntry = { name, file: out ? file : undefined, directory, size, sha256: hash.digest('hex') };
    staged.entries.set(name, stagedEntry);
    return stagedEntry;
  }
}
