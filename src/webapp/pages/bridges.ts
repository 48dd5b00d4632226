import type { BridgeStatus } from '../../../bridges/runtime/BridgeService';
import type { BridgeTargetDefinition } from '../../cli/commands/bridgeTargets';
import type { SafeHtml } from '../html';
import { html } from '../html';
import { csrfField } from '../layout';
import type { MemberSession } from '../MemberSessions';
import type { Texts } from '../texts';
import { formatDate } from './undo';

/** One bridge target and the member's connection to it, if any. */
export interface BridgeEntry {
  target: string;
  status?: BridgeStatus;
  error?: string;
}

/** How a connect form asks for one setting. */
export interface ConnectField {
  setting: string;
  optional: boolean;
  kind: 'url' | 'secret' | 'text';
}

/** The fields of a target's connect form: the settings of `fmp bridge <target> connect`, secrets as password fields. */
export function connectFieldsOf({ adapter, settings }: BridgeTargetDefinition): ConnectField[] {
  return settings.map((option): ConnectField => ({
    setting: option.setting,
    optional: option.optional === true,
    kind: adapter.secretSettings.includes(option.setting) ? 'secret' : option.flags.endsWith('<url>') ? 'url' : 'text',
  }));
}

/** Each target: connected ones with last sync, queue, dead letters and grant expiry (sync now, renew, disconnect), the others with a connect form. */
export function renderBridges(texts: Texts, root: string, session: MemberSession, entries: BridgeEntry[] | undefined,
  forms: { fields: (target: string) => ConnectField[] | undefined; durations: string[] }): SafeHtml {
  const t = texts.bridges;
  if (!entries) {
    return html`<h1>${t.title}</h1><p>${t.unavailable}</p>`;
  }
  const connected = entries.filter((entry): boolean => entry.status !== undefined);
  const others = entries.filter((entry): boolean => entry.status === undefined);
  return html`<h1>${t.title}</h1>
${connected.length === 0 ? html`<p>${t.none}</p>` : connected.map((entry) => renderConnected(texts, root, session, entry))}
${others.map((entry) => {
    const fields = forms.fields(entry.target);
    return fields ? renderConnectForm(texts, root, session, entry, fields, forms.durations) : '';
  })}`;
}

function renderConnected(texts: Texts, root: string, session: MemberSession, entry: BridgeEntry): SafeHtml {
  const t = texts.bridges;
  const status = entry.status!;
  const label = labelOf(texts, entry.target);
  const where = Object.values(status.settings).find((value): boolean => /^https?:\/\//u.test(value));
  return html`<section class="card" aria-labelledby="bridge-${entry.target}"><h2 id="bridge-${entry.target}">${label}</h2>
${where ? html`<p>${t.connectedTo(where)}</p>` : ''}
<dl><dt>${t.lastSync}</dt><dd>${status.lastSyncAt ? html`<time datetime="${status.lastSyncAt}">${formatDate(status.lastSyncAt)}</time>` : t.never}</dd>
<dt>${t.queue}</dt><dd>${status.queue}</dd><dt>${t.dead}</dt><dd>${status.deadLetters.length}</dd>
<dt>${t.grantUntil}</dt><dd>${texts.relative.in(Math.max(0, Math.floor(status.grantExpiresInDays)), 'day')}</dd></dl>
${status.pausedBecause ? html`<p class="flash error">${status.pausedBecause}</p>` : ''}
${[ 'sync', 'renew', 'disconnect' ].map((action) => html`<form method="post" action="${root}app/bridges/${entry.target}/${action}" class="inline">${
  csrfField(session)}<button type="submit" aria-label="${t[action as 'sync']}: ${label}"${action === 'disconnect' ?
  html` class="danger"` :
  html` class="secondary"`}>${t[action as 'sync']}</button></form> `)}
</section>`;
}

// Secret fields are never filled in from anything the server holds: what the member types goes to the bridge only.
function renderConnectForm(texts: Texts, root: string, session: MemberSession, entry: BridgeEntry, fields: ConnectField[],
  durations: string[]): SafeHtml {
  const t = texts.bridges;
  const target = entry.target;
  const label = labelOf(texts, target);
  const fieldTexts = (t.fields as Record<string, Record<string, string> | undefined>)[target] ?? {};
  return html`<section class="card" aria-labelledby="connect-${target}"><h2 id="connect-${target}">${t.connectTitle(label)}</h2>
${entry.error ? html`<p class="muted">${entry.error}</p>` : ''}
<p>${(t.intro as Record<string, string | undefined>)[target] ?? ''}</p>
<form method="post" action="${root}app/bridges/${target}/connect" autocomplete="off">${csrfField(session)}
${fields.map((field) => {
    const id = `${target}-${field.setting}`;
    return html`<label for="${id}">${fieldTexts[field.setting] ?? field.setting}${field.optional ? html` <span class="muted">${t.optional}</span>` : ''}</label>
<input id="${id}" name="${field.setting}" type="${field.kind === 'secret' ? 'password' : field.kind}"${
  field.optional ? '' : html` required`}${field.kind === 'secret' ? html` autocomplete="new-password"` : html` autocomplete="off"`}${
  field.kind === 'url' ? html` placeholder="https://"` : ''}>`;
  })}
<label for="${target}-for">${t.duration}</label>
<select id="${target}-for" name="for">${durations.map((duration, index) => html`<option value="${duration}"${
  index === durations.length - 1 ? html` selected` : ''}>${texts.durations[duration] ?? duration}</option>`)}</select>
<p class="muted">${t.secretsNote}</p>
<p><button type="submit">${t.connect}</button></p>
</form></section>`;
}

/** A target's name for people. */
export function labelOf(texts: Texts, target: string): string {
  return (texts.bridges.targets as Record<string, string | undefined>)[target] ?? target;
}
