import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'koa';
import type { ContainerKind } from '../../../shapes/ContainerKind';
import { CONTAINER_KINDS, isContainerKind } from '../../../shapes/ContainerKind';
import { findShapesDirectory, SHAPE_FILES } from '../../../shapes/shapeFiles';
import { FmpRoute } from '../FmpRoute';

/** `GET /.fmp/shapes/<kind>`: the SHACL shapes (Turtle) a constrained pod container is checked against. */
export class ShapesRoute extends FmpRoute {
  private readonly turtle = new Map<ContainerKind, string>();

  public constructor() {
    super('GET', '/.fmp/shapes/:kind');
  }

  public async handle(ctx: Context): Promise<void> {
    const { kind } = ctx.params as { kind: string };
    if (!isContainerKind(kind)) {
      ctx.throw(404, `No shapes named "${kind}"; there are ${CONTAINER_KINDS.join(', ')}.`);
    }
    ctx.type = 'text/turtle';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = this.getTurtle(kind);
  }

  /** The kind's shape files as one Turtle document (files restate their prefixes, so they can be joined), read once. */
  private getTurtle(kind: ContainerKind): string {
    let turtle = this.turtle.get(kind);
    if (turtle === undefined) {
      const directory = findShapesDirectory();
      turtle = SHAPE_FILES[kind].map((file): string => readFileSync(join(directory, file), 'utf8')).join('\n');
      this.turtle.set(kind, turtle);
    }
    return turtle;
  }
}
