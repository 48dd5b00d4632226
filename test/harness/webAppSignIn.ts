/** Cookies of one origin, kept as a browser would for these requests (paths are ignored: all are same-origin). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** A fetch that sends the jar's cookies, stores the ones set, and never follows redirects by itself. */
  public readonly fetch = async(url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [ ...this.cookies ].map(([ name, value ]): string => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [ pair ] = line.split(';');
      const index = pair.indexOf('=');
      const value = pair.slice(index + 1);
      if (/max-age=0/iu.test(line) || value === '') {
        this.cookies.delete(pair.slice(0, index));
      } else {
        this.cookies.set(pair.slice(0, index), value);
      }
    }
    return response;
  };

  /** Follows redirects from `url` until a non-redirect answer, or until a Location starts with `stopAt`. */
  public async follow(url: string, stopAt?: string): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let hop = 0; hop < 15; hop += 1) {
      const response = await this.fetch(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { response, url: current };
      }
      await response.arrayBuffer();
      current = new URL(location, current).href;
      if (stopAt && current.startsWith(stopAt)) {
        return { response, url: current };
      }
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** The value of one cookie. */
  public get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

async function json(response: Response, step: string): Promise<Record<string, unknown>> {
  const body = await response.json() as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(`${step} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

interface Controls { password: { login: string }; oidc: { webId: string; consent: string } }

async function readControls(jar: CookieJar, server: string): Promise<Controls> {
  return (await json(await jar.fetch(new URL('.account/', server).href, { headers: { accept: 'application/json' }}), 'controls'))
    .controls as Controls;
}

async function postJson(jar: CookieJar, url: string, body: unknown, step: string): Promise<Record<string, unknown>> {
  return json(await jar.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), step);
}

/**
 * Signs in to the member web app as its pages do, over plain HTTP: the app's sign-in redirect, CSS's password login
 * and consent (the same JSON calls its login and consent pages make), back to the app's callback. Returns the jar
 * holding the web app's session cookie.
 */
export async function signInToWebApp(server: string, email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const app = new URL('.fmp/', server).href;
  await jar.follow(`${app}app/login`);
  const login = await postJson(jar, (await readControls(jar, server)).password.login, { email, password, remember: true }, 'login');
  await jar.follow(login.location as string);
  const controls = await readControls(jar, server);
  const { webIds } = await json(await jar.fetch(controls.oidc.webId, { headers: { accept: 'application/json' }}), 'webIds') as { webIds: string[] };
  const picked = await postJson(jar, controls.oidc.webId, { webId: webIds[0] }, 'pick WebID');
  await jar.follow(picked.location as string);
  const consented = await postJson(jar, controls.oidc.consent, { remember: true }, 'consent');
  const { url } = await jar.follow(consented.location as string, `${app}app/callback`);
  const back = await jar.fetch(url);
  await back.arrayBuffer();
  if (back.status !== 302 || back.headers.get('location') !== new URL(app).pathname) {
    throw new Error(`the web app did not accept the sign-in (${back.status} to ${back.headers.get('location')})`);
  }
  return jar;
}
