import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';

/** The page a visitor who is not signed in sees: sign in through the FMP's identity provider, or sign up. */
export function renderSignIn(texts: Texts, root: string, session: MemberSession, typed: { name?: string; email?: string } = {}): SafeHtml {
  return html`<h1>${texts.signIn.title}</h1>
<p>${texts.signIn.intro}</p>
<p><a class="button" href="${root}app/login">${texts.signIn.button}</a></p>
<p class="muted">${texts.signIn.how}</p>
<section class="card" aria-labelledby="signup">
<h2 id="signup">${texts.signUp.title}</h2>
<form method="post" action="${root}app/signup">
${csrfField(session)}
<label for="name">${texts.signUp.name}</label>
<input type="text" id="name" name="name" required pattern="[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?" autocomplete="username" value="${typed.name ?? ''}">
<label for="email">${texts.signUp.email}</label>
<input type="email" id="email" name="email" required autocomplete="email" value="${typed.email ?? ''}">
<label for="password">${texts.signUp.password}</label>
<input type="password" id="password" name="password" required autocomplete="new-password">
<p><button type="submit">${texts.signUp.button}</button></p>
</form>
</section>`;
}
