import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFactory, Parser, Store } from 'n3';
import type { DatasetCore, Quad } from '@rdfjs/types';
import SHACLValidator from 'rdf-validate-shacl';
import type { ContainerKind } from './ContainerKind';
import { findShapesDirectory, SHAPE_FILES } from './shapeFiles';

/**
 * The RDF/JS factory the validator uses for its own datasets and terms.
 * N3's store is an indexed DatasetCore, so the engine's many `match` calls stay cheap.
 */
const validatorFactory = {
  ...DataFactory,
  dataset: (quads?: Quad[]): DatasetCore => new Store(quads),
};

/**
 * Maps each container kind to its shapes graph and keeps one SHACL validator per kind.
 *
 * Shapes are read and parsed the first time a kind is asked for and then reused, so a server
 * that validates every write does not reparse Turtle per request.
 */
export class ShapeRegistry {
  private readonly validators = new Map<ContainerKind, SHACLValidator>();
  private readonly shapeQuads = new Map<string, Quad[]>();

  /** @param shapesDirectory - Folder holding the `*.shapes.ttl` files; found automatically if omitted. */
  public constructor(private readonly shapesDirectory: string = findShapesDirectory()) {}

  /** Returns the quads of the shapes graph of a kind (parsed once, shared; do not modify). */
  public getShapes(kind: ContainerKind): readonly Quad[] {
    return SHAPE_FILES[kind].flatMap((file): Quad[] => this.getFileQuads(file));
  }

  /** Returns the cached validator of a kind, building it on first use. */
  public getValidator(kind: ContainerKind): SHACLValidator {
    let validator = this.validators.get(kind);
    if (!validator) {
      validator = new SHACLValidator(new Store([ ...this.getShapes(kind) ]), { factory: validatorFactory });
      this.validators.set(kind, validator);
    }
    return validator;
  }

  private getFileQuads(file: string): Quad[] {
    let quads = this.shapeQuads.get(file);
    if (!quads) {
      const path = join(this.shapesDirectory, file);
      quads = new Parser({ baseIRI: `file://${path}` }).parse(readFileSync(path, 'utf8'));
      this.shapeQuads.set(file, quads);
    }
    return quads;
  }
}

let defaultRegistry: ShapeRegistry | undefined;

/** The process-wide registry over the project's own shapes, created on first use. */
export function getDefaultShapeRegistry(): ShapeRegistry {
  defaultRegistry ??= new ShapeRegistry();
  return defaultRegistry;
}
