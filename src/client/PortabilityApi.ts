import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { extract } from 'tar-stream';
import type { ArchiveManifest } from '../../pod-server/portability/archiveFormat';
import {
  ARCHIVE_CONTENT_TYPE, kindOfResourceEntry, MANIFEST_ENTRY, parseManifest, RESOURCE_COUNT_HEADER, RESOURCES_PREFIX,
} from '../../pod-server/portability/archiveFormat';
import { FmpClientError } from './FmpClientError';
import { fetchServer, readErrorMessage } from './serverFetch';

/** How far a transfer has got: bytes, and containers and documents seen so far (of `total` when known). */
export interface TransferProgress {
  bytes: number;
  resources: number;
  total?: number;
  done: boolean;
}

/** What an export wrote. */
export interface ExportSummary {
  file: string;
  pod: string;
  bytes: number;
  resources: number;
  entries: number;
  exportedAt: string;
}

/** What an import restored, as the server reports it. */
export interface ImportSummary {
  pod: string;
  from: string;
  resources: number;
  entries: number;
  bytes: number;
  seconds: number;
}

/** The last import into a pod, as `GET /.fmp/import/<member>` reports it. */
export interface ImportStatus {
  pod: string;
  state: 'none' | 'committing' | 'done';
  running: boolean;
  sourcePod?: string;
  exportedAt?: string;
  resources?: number;
  finishedAt?: string;
}

/** Client for `/.fmp/export/<member>` and `/.fmp/import/<member>` with the member's authenticated fetch; streams both ways. */
export class PortabilityApi {
  private readonly exportUrl: string;
  private readonly importUrl: string;

  public constructor(server: string, member: string, private readonly fetchFn: typeof fetch) {
    this.exportUrl = new URL(`.fmp/export/${encodeURIComponent(member)}`, server).href;
    this.importUrl = new URL(`.fmp/import/${encodeURIComponent(member)}`, server).href;
  }

  /** Streams the member's archive into `file` (via `<file>.part`, renamed once the manifest has arrived). */
  public async exportTo(file: string, onProgress: (progress: TransferProgress) => void): Promise<ExportSummary> {
    const response = await fetchServer(this.exportUrl, { headers: { accept: ARCHIVE_CONTENT_TYPE }}, this.fetchFn);
    if (!response.ok || !response.body) {
      throw new FmpClientError(`the export was refused (${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    const total = Number(response.headers.get(RESOURCE_COUNT_HEADER) ?? Number.NaN);
    const partial = `${file}.part`;
    const out = createWriteStream(partial, { mode: 0o600 });
    const counter = new EntryCounter(Number.isNaN(total) ? undefined : total, onProgress);
    try {
      for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)) {
        counter.add(chunk as Buffer);
        if (!out.write(chunk)) {
          await once(out, 'drain');
        }
      }
      out.end();
      await once(out, 'close');
      const manifest = await counter.finish();
      if (!manifest) {
        throw new FmpClientError('the export was cut off before its manifest arrived (see the server log); nothing was saved');
      }
      await rename(partial, file);
      return { file, pod: manifest.sourcePod, bytes: counter.bytes, resources: manifest.resourceCount,
        entries: manifest.entries.length + 1, exportedAt: manifest.exportedAt };
    } catch (error: unknown) {
      out.destroy();
      await rm(partial, { force: true });
      if (error instanceof FmpClientError) {
        throw error;
      }
      throw new FmpClientError(`the export was cut off: ${(error as Error).message}; nothing was saved`, undefined, { cause: error });
    }
  }

  /** Uploads the archive in `file` into the member's (empty) pod. */
  public async importFrom(file: string, onProgress: (progress: TransferProgress) => void): Promise<ImportSummary> {
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (error: unknown) {
      throw new FmpClientError(`cannot read ${file}: ${(error as Error).message}`, undefined, { cause: error });
    }
    const summary = await this.importStream(createReadStream(file), onProgress);
    onProgress({ bytes: size, resources: summary.resources, total: summary.resources, done: true });
    return summary;
  }

  /** Streams another FMP's export of a pod straight into this member's (empty) pod, without a file in between. */
  public async importExportOf(source: PortabilityApi, onProgress: (progress: TransferProgress) => void): Promise<ImportSummary> {
    const response = await fetchServer(source.exportUrl, { headers: { accept: ARCHIVE_CONTENT_TYPE }}, source.fetchFn);
    if (!response.ok || !response.body) {
      throw new FmpClientError(`the export was refused (${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    const total = Number(response.headers.get(RESOURCE_COUNT_HEADER) ?? Number.NaN);
    return this.importStream(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), onProgress,
      Number.isNaN(total) ? undefined : total);
  }

  /** The last import into the member's pod, and whether one is running. */
  public async getImportStatus(): Promise<ImportStatus> {
    const response = await fetchServer(this.importUrl, { headers: { accept: 'application/json' }}, this.fetchFn);
    if (!response.ok) {
      throw new FmpClientError(`cannot read the import status (${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    return await response.json() as ImportStatus;
  }

  private async importStream(source: Readable, onProgress: (progress: TransferProgress) => void, total?: number): Promise<ImportSummary> {
    const counter = new EntryCounter(total, onProgress);
    source.on('data', (chunk): void => counter.add(chunk as Buffer));
    const response = await fetchServer(this.importUrl, {
      method: 'POST',
      headers: { 'content-type': ARCHIVE_CONTENT_TYPE, accept: 'application/json' },
      body: Readable.toWeb(source) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit, this.fetchFn);
    await counter.finish();
    if (!response.ok) {
      throw new FmpClientError(`the import was refused (${response.status}): ${await readErrorMessage(response)}`, response.status);
    }
    return await response.json() as ImportSummary;
  }
}

/** Reads the tar stream passing by to count resources for progress, and keeps the manifest when it comes. */
class EntryCounter {
  public bytes = 0;
  private resources = 0;
  private manifestText?: string;
  private readonly tar = extract();
  private readonly reading: Promise<void>;
  private lastReport = 0;

  public constructor(private readonly total: number | undefined, private readonly onProgress: (progress: TransferProgress) => void) {
    this.reading = this.read();
  }

  public add(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.tar.write(chunk);
    if (Date.now() - this.lastReport > 250) {
      this.lastReport = Date.now();
      this.onProgress({ bytes: this.bytes, resources: this.resources, total: this.total, done: false });
    }
  }

  /** Ends the stream; the manifest if the archive had one that parses. */
  public async finish(): Promise<ArchiveManifest | undefined> {
    this.tar.end(null);
    await this.reading;
    this.onProgress({ bytes: this.bytes, resources: this.resources, total: this.total, done: true });
    return this.manifestText === undefined ? undefined : parseManifest(this.manifestText);
  }

  private async read(): Promise<void> {
    try {
      for await (const entry of this.tar) {
        const { name } = entry.header;
        const chunks: Buffer[] = [];
        for await (const chunk of entry as unknown as AsyncIterable<Buffer>) {
          if (name === MANIFEST_ENTRY) {
            chunks.push(chunk);
          }
        }
        if (name === MANIFEST_ENTRY) {
          this.manifestText = Buffer.concat(chunks).toString('utf8');
        } else if (name.startsWith(RESOURCES_PREFIX) && [ 'container', 'document' ].includes(kindOfResourceEntry(
          entry.header.type === 'directory' && !name.endsWith('/') ? `${name}/` : name,
        ))) {
          this.resources += 1;
        }
      }
    } catch {
      // A cut-off archive: the missing manifest says so.
    }
  }
}
