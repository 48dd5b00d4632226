import { FmpClientError } from './FmpClientError';

/** `fetch` that turns "nobody is listening" into an error that says so. */
export async function fetchServer(url: string, init: RequestInit = {}, fetchFn: typeof fetch = fetch): Promise<Response> {
  try {
    return await fetchFn(url, init);
  } catch (error: unknown) {
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET') {
      const origin = new URL(url).origin;
      throw new FmpClientError(`no FMP server answers at ${origin}/ (is it running? start it with npm start)`, undefined, { cause: error });
    }
    throw error;
  }
}

/** Reads the error text CSS or the FMP routes put in a failed response. */
export async function readErrorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const json = JSON.parse(text) as { message?: string; error?: string };
    return json.message ?? json.error ?? text;
  } catch {
    return text.trim() || response.statusText;
  }
}

/** A JSON request (`body`, if any, sent as JSON) through {@link fetchServer}; the response, whatever its status. */
export async function fetchJson(url: string, method: string, body: unknown, fetchFn: typeof fetch = fetch): Promise<Response> {
  return fetchServer(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }, fetchFn);
}
