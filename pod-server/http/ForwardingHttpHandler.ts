import type { HttpHandlerInput } from '@solid/community-server';
import { HttpHandler, NotImplementedHttpError } from '@solid/community-server';
import type { MoveRecord, MoveRecords } from '../portability/move/MoveRecords';

const READ_METHODS = new Set([ 'GET', 'HEAD', 'OPTIONS' ]);
/** The member's routes that write into the pod (its grants, a restore, an import), and the one write left open. */
const MEMBER_WRITE_PATH = /^\/\.fmp\/(consent|restore|import)\/([^/?#]+)\/?([^?#]*)/u;
const REVOKE_PATH = /^grants\/[^/]+\/revoke$/u;

/** What the handler answers instead of the pod or route. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Guards pods that are moving away. While a move is prepared the pod is read-only (`423 Locked` for writes), so
 * nothing written during the copy is left behind; once moved, every request answers `308 Permanent Redirect` to the
 * same path in the new pod for as long as the move says. The old WebID profile document itself stays, so the old
 * WebID still resolves (to `as:movedTo`).
 *
 * The FMP routes that write into the pod follow suit: while it is copied, no grant can be made, request answered,
 * snapshot restored or archive imported (`423`), but revoking works and the move carries it over; once moved, the
 * old FMP answers `409` for them, and for the consent API altogether, as the grants are kept and enforced by the new
 * FMP.
 */
export class ForwardingHttpHandler extends HttpHandler {
  private readonly origin: string;

  /**
   * @param baseUrl - The server's base URL, to turn request paths into the URLs moves are recorded with.
   * @param moves - The pods that are moving or moved away.
   */
  public constructor(baseUrl: string, private readonly moves: MoveRecords) {
    super();
    this.origin = new URL(baseUrl).origin;
  }

  public async canHandle({ request }: HttpHandlerInput): Promise<void> {
    if (!await this.findAnswer(request.url ?? '/', request.method ?? 'GET')) {
      throw new NotImplementedHttpError('Not a moving pod.');
    }
  }

  public async handle({ request, response }: HttpHandlerInput): Promise<void> {
    const answer = await this.findAnswer(request.url ?? '/', request.method ?? 'GET');
    if (!answer) {
      // The move changed between canHandle and handle.
      throw new NotImplementedHttpError('Not a moving pod.');
    }
    response.writeHead(answer.status, { ...answer.headers, 'content-type': 'text/plain; charset=utf-8' });
    response.end(`${answer.text}\n`);
  }

  private async findAnswer(path: string, method: string): Promise<Answer | undefined> {
    const memberWrite = MEMBER_WRITE_PATH.exec(path);
    if (memberWrite) {
      return this.findMemberRouteAnswer(memberWrite[1], decodeURIComponent(memberWrite[2]), memberWrite[3], method);
    }
    const url = `${this.origin}${path}`;
    const move = await this.moves.findActive(url);
    if (!move || url.split(/[?#]/u)[0] === move.fromWebId.split('#')[0]) {
      return undefined;
    }
    if (move.state === 'preparing') {
      return READ_METHODS.has(method) ? undefined : {
        status: 423,
        headers: { 'retry-after': '60' },
        text: `${move.fromPod} is being moved to another FMP and is read-only until the move is done.`,
      };
    }
    const location = locationOf(move, url);
    return { status: 308, headers: { location }, text: `Moved permanently to ${location}` };
  }

  private async findMemberRouteAnswer(route: string, member: string, rest: string, method: string): Promise<Answer | undefined> {
    const move = await this.moves.findByMember(member);
    if (move?.state === 'moved' && (route === 'consent' || !READ_METHODS.has(method))) {
      return { status: 409, headers: {}, text: `${move.fromPod} moved to ${move.toPod} (${move.movedAt}); its grants are kept and ` +
        `enforced by ${new URL(move.toPod).origin}/ now.` };
    }
    if (move?.state === 'preparing' && !READ_METHODS.has(method) && !(route === 'consent' && REVOKE_PATH.test(rest))) {
      return { status: 423, headers: { 'retry-after': '60' }, text: `${move.fromPod} is being moved to another FMP and is ` +
        'read-only until the move is done: what is written now would not follow it. Revoking a grant still works, and ' +
        'the move carries it over.' };
    }
    return undefined;
  }
}

function locationOf(move: MoveRecord & { state: 'moved' }, url: string): string {
  return `${move.toPod}${url.slice(move.fromPod.length)}`;
}
