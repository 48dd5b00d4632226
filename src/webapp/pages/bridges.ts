import type { BridgeStatus } from '../../../bridges/runtime/BridgeService';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';

/** One bridge target and the member's connection to it, if any. */
export interface BridgeEntry {
  target: string;
  status?: BridgeStatus;
  error?: string;
}

/** Each connected target with last sync, queue, dead letters and grant expiry; sync now, renew, disconnect. */
export function renderBridges(texts: Texts, root: string, session: MemberSession, entries: BridgeEntry[] | undefined): SafeHtml {
  const t = texts.bridges;
  if (!entries) {
    return html`<h1>${t.title}</h1><p>${t.unavailable}</p>`;
  }
  const connected = entries.filter((entry): boolean => entry.status !== undefined);
  return html`<h1>${t.title}</h1>
${connected.length === 0 ? html`<p>${t.none}</p>` : connected.map((entry) => {
    const status = entry.status!;
    const summary = status as unknown as Record<string, unknown>;
    return html`<section class="card" aria-labelledby="bridge-${entry.target}"><h2 id="bridge-${entry.target}">${entry.target}</h2>
<dl><dt>${t.lastSync}</dt><dd>${String(summary.lastSyncAt ?? summary.lastSync ?? '–')}</dd>
<dt>${t.queue}</dt><dd>${status.queue}</dd><dt>${t.dead}</dt><dd>${status.deadLetters.length}</dd>
<dt>${t.grantUntil}</dt><dd>${texts.relative.in(Math.max(0, Math.floor(status.grantExpiresInDays)), 'day')}</dd></dl>
${[ 'sync', 'renew', 'disconnect' ].map((action) => html`<form method="post" action="${root}app/bridges/${entry.target}/${action}" class="inline">${
  csrfField(session)}<button type="submit"${action === 'disconnect' ? html` class="danger"` : html` class="secondary"`}>${t[action as 'sync']}</button></form> `)}
</section>`;
  })}`;
}
