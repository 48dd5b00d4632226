import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Quad } from '@rdfjs/types';
import type { FileIdentifierMapper, ReadWriteLocker } from '@solid/community-server';
import {
  getLoggerFor, isSystemError, joinFilePath, NotFoundHttpError, RepresentationMetadata,
} from '@solid/community-server';
import { Parser } from 'n3';
import { keptMetadata } from './keptMetadata';
import type { PodResource } from './PodWalker';
import type { ExportedResource } from './PodSource';
import { PodSource } from './PodSource';

const ACL_SUFFIX = '.acl';

/** A resource as found on disk: where its data, `.meta` and `.acl` files are (no data file for containers). */
interface FileResource extends PodResource {
  filePath: string;
  /** Media type by the file's extension (documents); a `.meta` may override it, as in CSS's `FileDataAccessor`. */
  contentType?: string;
  metaPath?: string;
  aclPath?: string;
  /** What a container contains, to leave out of its metadata as CSS's listing does. */
  children?: string[];
}

/** One folder's files, mapped to URLs: its children and the `.meta`/`.acl` files of the folder and of each child. */
interface FolderListing {
  children: FileResource[];
  metaPaths: Map<string, string>;
  aclPaths: Map<string, string>;
}

/**
 * Lists and reads a pod straight from CSS's file backend: each folder is listed once and its file names mapped to
 * URLs with CSS's own mapper (no folder listing per read), each resource is read under CSS's read lock.
 */
export class FilePodWalker extends PodSource {
  protected readonly logger = getLoggerFor(this);

  /**
   * @param mapper - CSS's `urn:solid-server:default:FileIdentifierMapper`, so names map exactly as CSS maps them.
   * @param locker - CSS's `urn:solid-server:default:ResourceLocker`; writes hold its write lock on the subject.
   */
  public constructor(private readonly mapper: FileIdentifierMapper, private readonly locker: ReadWriteLocker) {
    super();
  }

  public async* walk(podRoot: string): AsyncGenerator<PodResource> {
    const root = await this.mapper.mapUrlToFilePath({ path: podRoot }, false);
    const pending: FileResource[] = [{ url: podRoot, path: '', container: true, filePath: root.filePath }];
    while (pending.length > 0) {
      const resource = pending.pop()!;
      if (!resource.container) {
        yield resource;
        continue;
      }
      const listing = await this.listFolder(resource.filePath);
      resource.metaPath = listing.metaPaths.get(resource.url);
      resource.aclPath = listing.aclPaths.get(resource.url);
      resource.children = listing.children.map((child): string => child.url);
      yield resource;
      const children = listing.children.sort((one, two): number => one.url < two.url ? -1 : one.url > two.url ? 1 : 0);
      for (const child of children) {
        child.path = child.url.slice(podRoot.length);
        if (!child.container) {
          child.metaPath = listing.metaPaths.get(child.url);
          child.aclPath = listing.aclPaths.get(child.url);
        }
      }
      // Reversed, so that popping visits children in listing order.
      pending.push(...children.reverse());
    }
  }

  public async readForExport(resource: PodResource): Promise<ExportedResource> {
    const found = resource as FileResource;
    if (typeof found.filePath !== 'string') {
      throw new Error(`${resource.url} was not found by FilePodWalker.walk`);
    }
    return this.locker.withReadLock({ path: resource.url }, async(): Promise<ExportedResource> => {
      const metadata = await this.readMetadata(found);
      const acl = await readIfExists(found.aclPath);
      if (found.container) {
        return { bytes: Buffer.alloc(0), metadata: keptMetadata(metadata.quads() as Quad[], new Set(found.children)), acl };
      }
      return {
        bytes: await this.readDocument(found),
        // As CSS reads it: a media type the file name cannot carry is kept in the `.meta`.
        contentType: metadata.contentType ?? found.contentType,
        metadata: keptMetadata(metadata.quads() as Quad[], new Set()),
        acl,
      };
    });
  }

  /** Lists a folder once, mapping each entry as CSS's `FileDataAccessor` lists a container's children. */
  private async listFolder(folder: string): Promise<FolderListing> {
    const listing: FolderListing = { children: [], metaPaths: new Map(), aclPaths: new Map() };
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error: unknown) {
      if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
        // Removed while the pod was being listed: nothing to export below it.
        return listing;
      }
      throw error;
    }
    for (const entry of entries) {
      const filePath = joinFilePath(folder, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(filePath);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue;
        }
      }
      if (!isDirectory && !isFile) {
        continue;
      }
      const link = await this.mapper.mapFilePathToUrl(filePath, isDirectory);
      const url = link.identifier.path;
      if (link.isMetadata) {
        listing.metaPaths.set(url, filePath);
      } else if (url.endsWith(ACL_SUFFIX)) {
        listing.aclPaths.set(url.slice(0, -ACL_SUFFIX.length), filePath);
      } else {
        listing.children.push({ url, path: '', container: isDirectory, filePath, contentType: link.contentType });
      }
    }
    return listing;
  }

  /** The stored metadata (the `.meta` file), read as CSS's `FileDataAccessor` reads it. */
  private async readMetadata(resource: FileResource): Promise<RepresentationMetadata> {
    const metadata = new RepresentationMetadata({ path: resource.url });
    const turtle = await readIfExists(resource.metaPath);
    if (turtle) {
      try {
        metadata.addQuads(new Parser({ format: 'text/turtle', baseIRI: resource.url }).parse(turtle.toString('utf8')));
      } catch (error: unknown) {
        // CSS fails every read of such a resource; the export keeps the data and says what it left out.
        this.logger.warn(`Left the metadata of ${resource.url} out: ${resource.metaPath} does not parse: ${(error as Error).message}`);
      }
    }
    return metadata;
  }

  /** The document's bytes; if it moved since the listing (a write with another media type), found again via CSS. */
  private async readDocument(resource: FileResource): Promise<Buffer> {
    const bytes = await readIfExists(resource.filePath);
    if (bytes) {
      return bytes;
    }
    const link = await this.mapper.mapUrlToFilePath({ path: resource.url }, false);
    const moved = await readIfExists(link.filePath);
    if (!moved) {
      throw new NotFoundHttpError(`${resource.url} was removed during the export.`);
    }
    resource.contentType = link.contentType;
    return moved;
  }
}

/** A file's bytes, or undefined when there is no such file. */
async function readIfExists(filePath: string | undefined): Promise<Buffer | undefined> {
  if (filePath === undefined) {
    return undefined;
  }
  try {
    return await readFile(filePath);
  } catch (error: unknown) {
    if (isSystemError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR')) {
      return undefined;
    }
    throw error;
  }
}
