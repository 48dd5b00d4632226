import type { SafeHtml } from '../html';
import { html } from '../html';
import type { Texts } from '../texts';
import { describeAgo } from '../relativeTime';

/** One message in the member's `inbox/`. */
export interface InboxItem {
  url: string;
  kind: string;
  summary: string;
  received?: Date;
  unread: boolean;
}

/** What arrived in the inbox, newest first, new ones marked. */
export function renderInbox(texts: Texts, items: InboxItem[], now: Date): SafeHtml {
  const t = texts.inbox;
  const unread = items.filter((item): boolean => item.unread).length;
  return html`<h1>${t.title}${unread > 0 ? html` <span class="badge">${t.unread(unread)}</span>` : ''}</h1>
${items.length === 0 ? html`<p>${t.none}</p>` : html`<table class="stack"><thead><tr><th scope="col">${t.received}</th><th scope="col">${t.kind}</th>
<th scope="col"><span class="visually-hidden">${t.title}</span></th></tr></thead><tbody>
${items.map((item) => html`<tr${item.unread ? html` class="unread"` : ''}><td data-label="${t.received}">${item.received ? describeAgo(item.received, now, texts) : '–'}${
  item.unread ? html` <strong>(${t.unread(1)})</strong>` : ''}</td><td data-label="${t.kind}">${item.kind}</td><td>${item.summary}</td></tr>`)}
</tbody></table>`}`;
}
