import type { SafeHtml } from './html';
import { html } from './html';
import type { MemberSession } from './MemberSessions';
import type { Texts } from './texts';

/** The pages in the navigation, in order, with the path below `/.fmp/`. */
const NAV: readonly [keyof Texts['nav'], string][] = [
  [ 'home', '' ], [ 'access', 'app/access' ], [ 'requests', 'app/requests' ], [ 'inbox', 'app/inbox' ],
  [ 'bridges', 'app/bridges' ], [ 'undo', 'app/undo' ], [ 'move', 'app/move' ],
];

/** What every page needs to render its frame. */
export interface PageFrame {
  texts: Texts;
  /** `/.fmp/` as the browser sees it (with the FMP's base path). */
  root: string;
  session: MemberSession;
  /** Which navigation entry is current. */
  current?: keyof Texts['nav'];
  title: string;
  /** Extra counts next to navigation entries, e.g. unread inbox items. */
  badges?: Partial<Record<keyof Texts['nav'], number>>;
}

/** A whole page: landmarks, skip link, navigation (when signed in), the one-time message and the content. */
export function renderPage(frame: PageFrame, content: SafeHtml): string {
  const { texts, root, session } = frame;
  const flash = session.flash;
  session.flash = undefined;
  return `<!DOCTYPE html>${html`<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.title} · ${texts.appName}</title>
<link rel="stylesheet" href="${root}app/static/app.css">
<script src="${root}app/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#content">${texts.skip}</a>
<header class="top">
<p class="brand"><a href="${root}">${texts.appName}</a></p>
${session.webId ? html`<form method="post" action="${root}app/logout" class="signout">
<input type="hidden" name="_csrf" value="${session.csrf}">
<span class="who">${texts.signedInAs(session.member ?? session.webId)}</span>
<button type="submit" class="link">${texts.signOut}</button>
</form>` : ''}
</header>
${session.webId ? html`<nav aria-label="Main"><ul>${NAV.map(([ key, path ]) => html`<li><a href="${root}${path}"${
  frame.current === key ? html` aria-current="page"` : ''}>${texts.nav[key]}${
  frame.badges?.[key] ? html` <span class="badge">${frame.badges[key]}</span>` : ''}</a></li>`)}</ul></nav>` : ''}
<main id="content" tabindex="-1">
${flash ? html`<p class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</p>` : ''}
${content}
</main>
</body>
</html>`.value}\n`;
}

/** A hidden CSRF field for a form. */
export function csrfField(session: MemberSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrf}">`;
}
