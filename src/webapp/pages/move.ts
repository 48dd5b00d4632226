import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';

/** Where a move started from the web app stands. */
export interface MoveJob {
  steps: string[];
  progress?: string;
  done?: { pod: string; webId: string };
  error?: string;
  /** When the process running it last wrote down where it stands (ms since the epoch). */
  updatedAt?: number;
  /** Its process fell silent before it ended (the process was stopped): it may be started again. */
  interrupted?: boolean;
}

/** Export (download) and Move (target, login, confirmation; then live progress and the result). */
export function renderMove(texts: Texts, root: string, session: MemberSession, job?: MoveJob): SafeHtml {
  const t = texts.move;
  return html`<h1>${t.title}</h1>
<section aria-labelledby="export" class="card"><h2 id="export">${t.exportTitle}</h2>
<p>${t.exportIntro}</p>
<p><a class="button" href="${root}app/export" download>${t.download}</a></p></section>
<section aria-labelledby="move" class="card"><h2 id="move">${t.moveTitle}</h2>
${job && !job.interrupted ? renderJob(texts, job) : html`${job?.interrupted ? html`<p class="flash error" role="alert">${t.interrupted}</p>` : ''}<p>${t.moveIntro}</p>
<form method="post" action="${root}app/move">${csrfField(session)}
<label for="move-to">${t.target}</label><input type="url" id="move-to" name="to" required placeholder="https://">
<label for="move-name">${t.targetName}</label><input type="text" id="move-name" name="toName">
<label for="move-email">${t.email}</label><input type="email" id="move-email" name="email" autocomplete="email">
<label for="move-password">${t.password}</label><input type="password" id="move-password" name="password" required autocomplete="current-password">
<p><label><input type="checkbox" name="confirm" value="yes" required> ${t.confirm}</label></p>
<button type="submit" class="danger">${t.start}</button></form>`}
</section>`;
}

function renderJob(texts: Texts, job: MoveJob): SafeHtml {
  const t = texts.move;
  return html`<div aria-live="polite"${!job.done && !job.error ? html` data-refresh="1500"` : ''}>
<ol class="steps">${job.steps.map((step) => html`<li>${step}</li>`)}</ol>
${job.progress && !job.done ? html`<p>${job.progress}</p>` : ''}
${job.done ? html`<p class="flash ok" role="status">${t.done(job.done.pod)}</p>` : ''}
${job.error ? html`<p class="flash error" role="alert">${texts.errors.generic(job.error)}</p>` : ''}
${!job.done && !job.error ? html`<p>${t.progress}</p>` : ''}</div>`;
}
