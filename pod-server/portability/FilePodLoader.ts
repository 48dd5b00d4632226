import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { FileIdentifierMapper, ReadWriteLocker, ResourceLink } from '@solid/community-server';

/** Writes new documents straight to the files CSS's file backend would store them in, under CSS's write lock. */
export class FilePodLoader {
  /**
   * @param mapper - CSS's `urn:solid-server:default:FileIdentifierMapper`, so each document gets the file CSS would give it.
   * @param locker - CSS's `urn:solid-server:default:ResourceLocker`; each write holds its write lock on the document.
   */
  public constructor(private readonly mapper: FileIdentifierMapper, private readonly locker: ReadWriteLocker) {}

  /**
   * Whether {@link writeDocument} can store `url` as `contentType` as CSS would: the file name carries the media type
   * (CSS keeps other types, and media type parameters, in a `.meta` file). Maps without reading any folder.
   */
  public async accepts(url: string, contentType: string): Promise<boolean> {
    return await this.find(url, contentType) !== undefined;
  }

  /**
   * Writes `body` as the document `url` of media type `contentType` (see {@link accepts}), through a temporary file
   * renamed into place, and removes a `.meta` file left there, as CSS does for a document without metadata to keep.
   * Only for a document that is not stored yet under another media type, in a folder that exists: unlike CSS's
   * store, this neither looks for an old file to replace nor creates folders, and announces no change.
   */
  public async writeDocument(url: string, contentType: string, body: Buffer | string): Promise<void> {
    const link = await this.find(url, contentType);
    if (!link) {
      throw new Error(`${url} cannot be written as ${contentType} by file name alone; write it through the store.`);
    }
    // Given its media type, the mapper names the `.meta` file without listing the folder (which grows with the import).
    const metaPath = (await this.mapper.mapUrlToFilePath({ path: url }, true, 'text/turtle')).filePath;
    // Named like a `.meta` file, so CSS's container listings skip it until it is renamed.
    const temporary = `${link.filePath}.${randomBytes(6).toString('hex')}.part.meta`;
    await this.locker.withWriteLock({ path: url }, async(): Promise<void> => {
      try {
        await writeFile(temporary, body);
        await rename(temporary, link.filePath);
      } catch (error: unknown) {
        await rm(temporary, { force: true });
        throw error;
      }
      await rm(metaPath, { force: true });
    });
  }

  /** The file CSS would write `url` to as `contentType`, when its name alone records that media type. */
  private async find(url: string, contentType: string): Promise<ResourceLink | undefined> {
    if (contentType.includes(';') || url.endsWith('/')) {
      return undefined;
    }
    const link = await this.mapper.mapUrlToFilePath({ path: url }, false, contentType);
    return link.contentType === contentType && !link.isMetadata ? link : undefined;
  }
}
