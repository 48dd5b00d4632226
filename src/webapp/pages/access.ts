import type { AuditEntryJson, GrantJson } from '../../client/ConsentApi';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import { describeAgo, describeExpiry } from '../relativeTime';
import type { Texts } from '../texts';

/** What the access page shows. */
export interface AccessData {
  grants: GrantJson[];
  audit: AuditEntryJson[];
  /** Only audit lines of this grantee, when the member filtered. */
  auditGrantee?: string;
  pod: string;
  now: Date;
  /** Durations a grant may last on this FMP, for the picker. */
  durations: string[];
}

/** Who a grant is for, in plain words: the peer's or app's name where known, else its WebID, client id or issuer. */
export function describeGrantee(texts: Texts, grantee: GrantJson['grantee']): string {
  switch (grantee.kind) {
    case 'fmp-members': return texts.grantee['fmp-members'];
    case 'public': return texts.grantee.public;
    case 'app': return `${texts.grantee.app(grantee.clientId ?? '')}${grantee.webId ? ` (${grantee.webId})` : ''}`;
    case 'peer': return texts.grantee.peer(grantee.peerName ?? grantee.issuer ?? '');
    default: return grantee.webId ?? '';
  }
}

/** The id the audit log records for requests under this grantee's grants. */
function auditIdOf(grantee: GrantJson['grantee']): string | undefined {
  return grantee.webId ?? grantee.clientId ?? grantee.issuer;
}

/** Scope entries as paths in the pod (`catalog/`), which members recognise. */
export function describeScope(scope: string[], pod: string): string {
  return scope.map((entry): string => entry.startsWith(pod) ? entry.slice(pod.length) || '/' : entry).join(', ');
}

function modeWords(texts: Texts, modes: string[]): string {
  return modes.map((mode): string => texts.access[mode as 'read' | 'append' | 'write'] ?? mode).join(', ');
}

/** When each grant was last used, from the audit log (newest first). */
function lastUseByGrant(audit: AuditEntryJson[]): Map<string, Date> {
  const last = new Map<string, Date>();
  for (const entry of audit) {
    for (const id of entry.grantId.split(' ')) {
      const time = new Date(entry.time);
      if (!last.has(id) || last.get(id)! < time) {
        last.set(id, time);
      }
    }
  }
  return last;
}

/** Who has access: active grants with Revoke, ended grants, the access log with a filter, and a form for a new grant. */
export function renderAccess(texts: Texts, root: string, session: MemberSession, data: AccessData): SafeHtml {
  const t = texts.access;
  const active = data.grants.filter((grant): boolean => grant.state === 'active' || grant.state === 'pending');
  const ended = data.grants.filter((grant): boolean => grant.state === 'expired' || grant.state === 'revoked');
  const lastUse = lastUseByGrant(data.audit);
  const granteeIds = [ ...new Set(data.audit.map((entry): string => entry.grantee)) ].sort();
  const shown = data.auditGrantee ? data.audit.filter((entry): boolean => entry.grantee === data.auditGrantee) : data.audit;
  return html`<h1>${t.title}</h1>
<section aria-labelledby="active"><h2 id="active">${t.active}</h2>
${active.length === 0 ? html`<p>${t.none}</p>` : html`<table class="stack grants"><thead><tr><th scope="col">${t.grantee}</th><th scope="col">${t.scope}</th>
<th scope="col">${t.modes}</th><th scope="col">${t.purpose}</th><th scope="col">${t.until}</th><th scope="col">${t.lastUsed}</th>
<th scope="col"><span class="visually-hidden">${t.revoke}</span></th></tr></thead><tbody>
${active.map((grant) => html`<tr data-grant="${grant.id}"><td data-label="${t.grantee}">${describeGrantee(texts, grant.grantee)}${
  grant.grantee.kind === 'public' ? html`<br><strong class="warning">${t.publicWarning}</strong>` : ''}</td>
<td data-label="${t.scope}">${describeScope(grant.scope, data.pod)}</td>
<td data-label="${t.modes}">${modeWords(texts, grant.modes)}</td>
<td data-label="${t.purpose}">${grant.purpose.text}</td>
<td data-label="${t.until}"><time datetime="${grant.validUntil}" title="${grant.validUntil}">${describeExpiry(new Date(grant.validUntil), data.now, texts)}</time></td>
<td data-label="${t.lastUsed}">${lastUse.has(grant.id) ? describeAgo(lastUse.get(grant.id)!, data.now, texts) : t.never}</td>
<td><form method="post" action="${root}app/grants/${encodeURIComponent(grant.id.split('/').pop()!)}/revoke" class="inline">${csrfField(session)}
<button type="submit" class="danger" aria-label="${t.revoke}: ${describeGrantee(texts, grant.grantee)}, ${describeScope(grant.scope, data.pod)}">${t.revoke}</button></form></td></tr>`)}
</tbody></table>`}
</section>
${renderNewGrantForm(texts, root, session, data.durations)}
<section aria-labelledby="history"><h2 id="history">${t.history}</h2>
${ended.length === 0 ? html`<p>${t.noHistory}</p>` : html`<table class="stack"><thead><tr><th scope="col">${t.grantee}</th><th scope="col">${t.scope}</th>
<th scope="col">${t.modes}</th><th scope="col">${t.ended}</th></tr></thead><tbody>
${ended.map((grant) => html`<tr><td data-label="${t.grantee}">${describeGrantee(texts, grant.grantee)}</td>
<td data-label="${t.scope}">${describeScope(grant.scope, data.pod)}</td><td data-label="${t.modes}">${modeWords(texts, grant.modes)}</td>
<td data-label="${t.ended}">${grant.state === 'revoked' ? `${t.revoke}: ${grant.revokedAt ?? ''}` : `${texts.relative.expired}: ${grant.validUntil}`}</td></tr>`)}
</tbody></table>`}
</section>
<section aria-labelledby="audit"><h2 id="audit">${t.audit}</h2>
<form method="get" action="${root}app/access#audit">
<label for="grantee-filter">${t.auditFilter}</label>
<select id="grantee-filter" name="grantee"><option value="">${t.everyone}</option>
${granteeIds.map((id) => html`<option value="${id}"${id === data.auditGrantee ? html` selected` : ''}>${id}</option>`)}</select>
<button type="submit" class="secondary">${t.filter}</button></form>
${shown.length === 0 ? html`<p>${t.noAudit}</p>` : html`<table class="stack"><thead><tr><th scope="col">${t.time}</th><th scope="col">${t.grantee}</th>
<th scope="col">${t.resource}</th><th scope="col">${t.access}</th></tr></thead><tbody>
${shown.slice(0, 200).map((entry) => html`<tr><td data-label="${t.time}"><time datetime="${entry.time}">${describeAgo(new Date(entry.time), data.now, texts)}</time></td>
<td data-label="${t.grantee}">${entry.grantee}</td><td data-label="${t.resource}">${describeScope([ entry.resource ], data.pod)}</td>
<td data-label="${t.access}">${entry.access}</td></tr>`)}</tbody></table>`}
</section>`;
}

function renderNewGrantForm(texts: Texts, root: string, session: MemberSession, durations: string[]): SafeHtml {
  const t = texts.access;
  return html`<section aria-labelledby="new-grant" class="card"><h2 id="new-grant">${t.newGrant}</h2>
<form method="post" action="${root}app/grants">${csrfField(session)}
<label for="grant-kind">${t.kind}</label>
<select id="grant-kind" name="kind">${(Object.keys(t.kinds) as (keyof typeof t.kinds)[]).map((kind) =>
  html`<option value="${kind}">${t.kinds[kind]}</option>`)}</select>
<label for="grant-who">${t.who}</label>
<input type="text" id="grant-who" name="who">
<label for="grant-scope">${t.scopeHelp}</label>
<textarea id="grant-scope" name="scope" rows="2" required>catalog/</textarea>
<fieldset><legend>${t.modesLegend}</legend>
<label><input type="checkbox" name="modes" value="read" checked> ${t.read}</label>
<label><input type="checkbox" name="modes" value="append"> ${t.append}</label>
<label><input type="checkbox" name="modes" value="write"> ${t.write}</label></fieldset>
<label for="grant-duration">${t.duration}</label>
<select id="grant-duration" name="duration">${durations.map((duration) => html`<option value="${duration}"${
  duration === '30d' ? html` selected` : ''}>${texts.durations[duration] ?? duration}</option>`)}</select>
<label for="grant-purpose">${t.purposeLabel}</label>
<input type="text" id="grant-purpose" name="purpose" required>
<p><button type="submit">${t.create}</button></p>
</form></section>`;
}
