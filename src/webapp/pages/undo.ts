import type { SnapshotJson, SnapshotList } from '../../client/SnapshotApi';
import { formatBytes } from '../../../pod-server/storage/quota/formatBytes';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';

/** Snapshots with their dates and sizes, "take one now", and a Restore link to a confirmation. */
export function renderUndo(texts: Texts, root: string, session: MemberSession, list: SnapshotList): SafeHtml {
  const t = texts.undo;
  const snapshots = [ ...list.snapshots ].reverse();
  return html`<h1>${t.title}</h1>
<p>${t.intro}</p>
<p class="muted">${t.used(formatBytes(list.usedBytes), formatBytes(list.quotaBytes))}</p>
<form method="post" action="${root}app/snapshots">${csrfField(session)}<button type="submit">${t.take}</button></form>
${snapshots.length === 0 ? html`<p>${t.none}</p>` : html`<table class="stack snapshots"><thead><tr><th scope="col">${t.taken}</th><th scope="col">${t.kind}</th>
<th scope="col" class="num">${t.size}</th><th scope="col" class="num">${t.items}</th><th scope="col"><span class="visually-hidden">${t.restore}</span></th></tr></thead><tbody>
${snapshots.map((snapshot) => html`<tr><td data-label="${t.taken}"><time datetime="${snapshot.takenAt}">${formatDate(snapshot.takenAt)}</time></td>
<td data-label="${t.kind}">${snapshot.kind}</td><td data-label="${t.size}" class="num">${formatBytes(snapshot.bytes)}</td>
<td data-label="${t.items}" class="num">${snapshot.resources}</td>
<td><a class="button secondary" href="${root}app/undo/${encodeURIComponent(snapshot.id)}" aria-label="${t.restore} ${formatDate(snapshot.takenAt)}">${t.restore}</a></td></tr>`)}
</tbody></table>`}`;
}

/** The plain confirmation before a restore. */
export function renderRestoreConfirm(texts: Texts, root: string, session: MemberSession, snapshot: SnapshotJson): SafeHtml {
  const t = texts.undo;
  return html`<h1>${t.confirmTitle(formatDate(snapshot.takenAt))}</h1>
<p>${t.confirm}</p>
<form method="post" action="${root}app/undo/${encodeURIComponent(snapshot.id)}">${csrfField(session)}
<button type="submit" class="danger">${t.confirmButton}</button>
<a class="button secondary" href="${root}app/undo">${t.cancel}</a></form>`;
}

/** A date and time as people read it, in UTC so the server renders the same for everyone. */
export function formatDate(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/u, ' UTC');
}
