import { request as httpRequest } from 'node:http';
import type { HttpHandlerInput } from '@solid/community-server';

/** Headers that belong to one connection, not to the request relayed. */
const HOP_BY_HOP = new Set([ 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer' ]);

/**
 * Passes a request on to `target` as it came, byte for byte, and its answer back; when the target does not answer,
 * `onUnreachable` writes the answer (the response may already have begun). `replaced` headers take the place of the
 * client's own of the same (lower-case) names, whatever the client sent.
 */
export async function relayRequest({ request, response }: HttpHandlerInput, target: URL,
  onUnreachable: (error: Error) => void, replaced: Record<string, string> = {}): Promise<void> {
  const headers = { ...Object.fromEntries(Object.entries(request.headers)
    .filter(([ name ]): boolean => !HOP_BY_HOP.has(name) && !(name in replaced))), ...replaced };
  await new Promise<void>((resolve): void => {
    const relayed = httpRequest(target, { method: request.method, headers }, (answer): void => {
      const answerHeaders = Object.fromEntries(Object.entries(answer.headers)
        .filter(([ name ]): boolean => !HOP_BY_HOP.has(name)));
      response.writeHead(answer.statusCode ?? 502, answerHeaders);
      answer.pipe(response).on('finish', resolve).on('error', resolve);
    });
    relayed.on('error', (error): void => {
      onUnreachable(error);
      resolve();
    });
    request.pipe(relayed);
  });
}
