import type { HttpHandlerInput } from '@solid/community-server';
import { HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import type { MoveRecords } from '../portability/move/MoveRecords';

/**
 * Answers every request for a moved pod with `308 Permanent Redirect` to the same path in the new pod, for as long
 * as the move says; the old WebID profile document itself stays, so the old WebID still resolves (to `as:movedTo`).
 */
export class ForwardingHttpHandler extends HttpHandler {
  private readonly origin: string;

  /**
   * @param baseUrl - The server's base URL, to turn request paths into the URLs moves are recorded with.
   * @param moves - The pods that moved away.
   */
  public constructor(baseUrl: string, private readonly moves: MoveRecords) {
    super();
    this.origin = new URL(baseUrl).origin;
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    if (!await this.findLocation(request.url ?? '/')) {
      throw new NotImplementedHttpError('Not a moved pod.');
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    const location = await this.findLocation(request.url ?? '/');
    if (!location) {
      // The forwarding period ended between canHandle and handle.
      throw new NotImplementedHttpError('Not a moved pod.');
    }
    response.writeHead(308, { location, 'content-type': 'text/plain; charset=utf-8' });
    response.end(`Moved permanently to ${location}\n`);
  }

  private async findLocation(path: string): Promise<string | undefined> {
    const url = `${this.origin}${path}`;
    const move = await this.moves.findForwarding(url);
    if (!move || url.split(/[?#]/u)[0] === move.fromWebId.split('#')[0]) {
      return undefined;
    }
    return `${move.toPod}${url.slice(move.fromPod.length)}`;
  }
}
