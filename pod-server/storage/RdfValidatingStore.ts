import type { Quad } from '@rdfjs/types';
import type {
  AuxiliaryIdentifierStrategy, ChangeMap, Conditions, IdentifierGenerator, Representation, ResourceIdentifier, ResourceStore,
} from '@solid/community-server';
import {
  BadRequestHttpError, BasicRepresentation, getLoggerFor, INTERNAL_QUADS, isContainerIdentifier, LDP, PassthroughStore,
  RDF, RepresentationMetadata,
} from '@solid/community-server';
// Not re-exported by CSS's index; the package has no `exports` map, so its own classes are imported directly.
import { PayloadHttpError } from '@solid/community-server/dist/util/errors/PayloadHttpError';
import { UnprocessableEntityHttpError } from '@solid/community-server/dist/util/errors/UnprocessableEntityHttpError';
import { DataFactory } from 'n3';
import type { ContainerKind } from '../../shapes/ContainerKind';
import { containerKindOfPath } from '../../shapes/containerKindOfPath';
import { formatViolations } from '../../shapes/formatViolations';
import { parseRdf, RDF_CONTENT_TYPES } from '../../shapes/parseRdf';
import { RdfSyntaxError } from '../../shapes/RdfSyntaxError';
import { validateDataset } from '../../shapes/validateDataset';

const CONSTRAINED_BY = DataFactory.namedNode('http://www.w3.org/ns/ldp#constrainedBy');

/** Refuses malformed RDF written into a pod, and data breaking the shapes of a constrained container (`catalog/`, …). */
export class RdfValidatingStore<T extends ResourceStore = ResourceStore> extends PassthroughStore<T> {
  protected readonly logger = getLoggerFor(this);
  private readonly internalPath: string;

  /**
   * @param source - The store that writes (CSS's converting store).
   * @param baseUrl - The server's base URL: `<baseUrl>.internal/` is left alone, shapes are served under `<baseUrl>.fmp/shapes/`.
   * @param identifierGenerator - Finds the pod a resource is in (`extractPod`).
   * @param auxiliaryStrategy - Recognises `.meta` and `.acl` resources: parsed, but not shape-validated.
   * @param maxBodyBytes - The largest RDF body that is buffered and checked; larger ones get 413.
   */
  public constructor(
    source: T,
    private readonly baseUrl: string,
    private readonly identifierGenerator: IdentifierGenerator,
    private readonly auxiliaryStrategy: AuxiliaryIdentifierStrategy,
    private readonly maxBodyBytes: number,
  ) {
    super(source);
    this.internalPath = `${baseUrl}.internal/`;
  }

  public async addResource(container: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    // The new resource's URL is not known yet; it will be a child of `container`, so that decides the shapes.
    const isNewContainer = representation.metadata.getAll(RDF.terms.type)
      .some((type): boolean => type.equals(LDP.terms.Container) || type.equals(LDP.terms.BasicContainer));
    const kind = isNewContainer ? undefined : this.findKind(container.path);
    return this.source.addResource(container, await this.check(container, representation, kind), conditions);
  }

  public async setRepresentation(identifier: ResourceIdentifier, representation: Representation, conditions?: Conditions):
  Promise<ChangeMap> {
    const isData = !isContainerIdentifier(identifier) && !this.auxiliaryStrategy.isAuxiliaryIdentifier(identifier);
    const kind = isData ? this.findKind(identifier.path) : undefined;
    return this.source.setRepresentation(identifier, await this.check(identifier, representation, kind), conditions);
  }

  /**
   * Parses an RDF body (and validates it against the shapes of `kind`, if given), then returns an equivalent
   * representation for the source store. Anything else, and all of `/.internal/`, passes untouched.
   */
  private async check(identifier: ResourceIdentifier, representation: Representation, kind?: ContainerKind):
  Promise<Representation> {
    const { contentType } = representation.metadata;
    const isRdf = contentType === INTERNAL_QUADS || RDF_CONTENT_TYPES.includes(contentType ?? '');
    if (!isRdf || identifier.path.startsWith(this.internalPath)) {
      return representation;
    }
    // 1. Buffer the body: quads as they are, text within the size bound.
    let quads: Quad[];
    let replacement: Representation;
    if (contentType === INTERNAL_QUADS) {
      quads = [];
      for await (const quad of representation.data) {
        quads.push(quad as Quad);
      }
      replacement = new BasicRepresentation(quads, representation.metadata, false);
    } else {
      const body = await this.readBody(representation);
      replacement = new BasicRepresentation(body, representation.metadata, representation.binary);
      // 2. Parse it: a malformed body is refused before anything is written.
      quads = await this.parse(body, contentType!, identifier.path);
    }
    // 3. Validate data in a constrained container against its shapes.
    if (kind) {
      this.validate(kind, identifier, quads);
    }
    return replacement;
  }

  private async readBody(representation: Representation): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of representation.data) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += buffer.length;
      if (size > this.maxBodyBytes) {
        throw new PayloadHttpError(`RDF bodies are limited to ${this.maxBodyBytes} bytes on this server.`);
      }
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private async parse(body: string, contentType: string, baseIri: string): Promise<Quad[]> {
    try {
      return await parseRdf(body, contentType, baseIri);
    } catch (error: unknown) {
      if (RdfSyntaxError.isInstance(error)) {
        throw new BadRequestHttpError(`Malformed ${contentType} body: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  private validate(kind: ContainerKind, identifier: ResourceIdentifier, quads: Quad[]): void {
    const report = validateDataset(kind, quads);
    if (report.conforms) {
      return;
    }
    const shapes = `${this.baseUrl}.fmp/shapes/${kind}`;
    this.logger.debug(`Refused a write in ${identifier.path}: ${report.violations.length} violations of ${shapes}`);
    const metadata = new RepresentationMetadata();
    metadata.add(CONSTRAINED_BY, DataFactory.namedNode(shapes));
    const lines = formatViolations(report).map((line): string => `- ${line}`);
    throw new UnprocessableEntityHttpError(
      `The data breaks the ${kind} shapes (${shapes}), ${lines.length} violation(s):\n${lines.join('\n')}`,
      { metadata },
    );
  }

  /** The constrained container kind for a path inside a pod's `catalog/`, `land/`, `logs/`, `orders/` or `profile/`. */
  private findKind(path: string): ContainerKind | undefined {
    let pod: string;
    try {
      pod = this.identifierGenerator.extractPod({ path }).path;
    } catch {
      // Not inside a pod (e.g. a document at the server root).
      return undefined;
    }
    return containerKindOfPath(path.slice(pod.length));
  }
}
