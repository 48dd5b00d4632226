import type { AccessRequestJson } from '../../client/ConsentApi';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';
import { describeGrantee, describeScope } from './access';

/** Pending access requests, each with Approve (a shorter duration, a narrower scope) and Deny. */
export function renderRequests(texts: Texts, root: string, session: MemberSession, requests: AccessRequestJson[], pod: string,
  durationsUpTo: (requested: string) => string[]): SafeHtml {
  const t = texts.requests;
  return html`<h1>${t.title}</h1>
${requests.length === 0 ? html`<p>${t.none}</p>` : requests.map((request, index) => {
    const id = encodeURIComponent(request.id.split('/').pop()!);
    const who = describeGrantee(texts, request.requester);
    return html`<section class="card request" aria-labelledby="request-${index}">
<h2 id="request-${index}">${t.asks(who)}</h2>
<p><strong>${texts.access.purpose}:</strong> ${request.purpose.text}</p>
<p><strong>${t.wants}:</strong> ${request.modes.map((mode): string => texts.access[mode as 'read'] ?? mode).join(', ')} —
${describeScope(request.scope, pod)}. <strong>${t.for}:</strong> ${texts.durations[request.duration] ?? request.duration}</p>
<form method="post" action="${root}app/requests/${id}/approve">${csrfField(session)}
<label for="duration-${index}">${t.approveFor}</label>
<select id="duration-${index}" name="duration">${durationsUpTo(request.duration).map((duration, position) =>
  html`<option value="${duration}"${position === 0 ? html` selected` : ''}>${texts.durations[duration] ?? duration}</option>`)}</select>
<fieldset><legend>${t.narrow}</legend>${request.scope.map((entry) => html`<label><input type="checkbox" name="scope" value="${entry}" checked> ${
  describeScope([ entry ], pod)}</label>`)}</fieldset>
<button type="submit">${t.approve}</button></form>
<form method="post" action="${root}app/requests/${id}/deny" class="inline">${csrfField(session)}
<button type="submit" class="danger">${t.deny}</button></form>
</section>`;
  })}`;
}
