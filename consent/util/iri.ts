// Small IRI helpers shared by validation and enforcement.
// They compare strings only after WHATWG URL normalisation, so `%2e%2e`, default ports and host case cannot
// smuggle a target past a prefix check.

/** Returns the normalised href of an absolute http(s) IRI without query (or fragment, unless allowed), or undefined. */
export function normaliseHttpIri(iri: string, allowFragment = false): string | undefined {
  let url: URL;
  try {
    url = new URL(iri);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || (url.hash && !allowFragment) ||
    url.username || url.password) {
    return undefined;
  }
  return url.href;
}

/** True if the IRI, as written, has a `.` or `..` path segment (also percent-encoded). */
export function hasDotSegment(iri: string): boolean {
  const path = iri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/iu, '').split(/[?#]/u)[0];
  return path.split('/').some((segment): boolean => /^(?:\.|%2e){1,2}$/iu.test(segment));
}

/** True if the IRI names a container (ends with a slash). */
export function isContainer(iri: string): boolean {
  return iri.endsWith('/');
}

/** True if `iri` is `container` itself or anything below it; `container` must end with a slash. */
export function isWithin(container: string, iri: string): boolean {
  return isContainer(container) && iri.startsWith(container);
}

/** The container directly holding `iri`, or undefined for an origin root. */
export function getParentContainer(iri: string): string | undefined {
  const url = new URL(iri);
  if (url.pathname === '/') {
    return undefined;
  }
  const path = isContainer(url.pathname) ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.origin}${path.slice(0, path.lastIndexOf('/') + 1)}`;
}

/** An issuer URL without trailing slashes, so `https://idp/` and `https://idp` compare equal. */
export function normaliseIssuer(issuer: string): string {
  return issuer.replace(/\/+$/u, '');
}
