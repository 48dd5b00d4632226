import { createWriteStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as createPack } from 'tar-stream';
import type { ArchiveManifest } from '../archiveFormat';
import type { PodLocation } from '../IriRewriter';
import type { PodArchiveWriter } from '../PodArchiveWriter';

/** An archive written by {@link writeArchiveFile}: its manifest and its size. */
export interface WrittenArchive {
  manifest: ArchiveManifest;
  bytes: number;
}

/**
 * Writes the pod at `source` as an archive into `file`, exactly as an export would send it; without a file the
 * archive is only measured (its manifest still describes every entry of the pod as it is, with its SHA-256).
 */
export async function writeArchiveFile(writer: PodArchiveWriter, source: PodLocation, file?: string): Promise<WrittenArchive> {
  const pack = createPack();
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const sink = file ? createWriteStream(file, { mode: 0o600 }) : new Writable({
    write(_chunk, _encoding, callback): void {
      callback();
    },
  });
  const copying = pipeline(pack, counter, sink);
  const writing = writer.list(source.pod).then(async(resources): Promise<ArchiveManifest> => {
    const manifest = await writer.write(source, resources, pack);
    pack.finalize();
    return manifest;
  });
  // Either side may fail first; the other is then cut off and must not be reported as unhandled.
  writing.catch((error: Error): void => {
    pack.destroy(error);
  });
  copying.catch((): void => undefined);
  const [ manifest ] = await Promise.all([ writing, copying ]);
  return { manifest, bytes };
}
