import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { html, escapeHtml } from '../../../src/webapp/html';
import { MemberSessions } from '../../../src/webapp/MemberSessions';
import { renderHarvestChart } from '../../../src/webapp/pages/home';
import { describeGrantee } from '../../../src/webapp/pages/access';
import { describeAgo, describeExpiry } from '../../../src/webapp/relativeTime';
import { ENGLISH } from '../../../src/webapp/texts';
import { podOfWebId } from '../../../src/webapp/WebApp';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('The member web app\'s parts', (): void => {
  describe('HTML', (): void => {
    it('escapes every interpolated value, so pod data can never become markup.', (): void => {
      const evil = '<script>alert("x")</script>\'&';
      assert.equal(html`<p title="${evil}">${evil}</p>`.value,
        '<p title="&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;&#38;">&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;&#38;</p>');
      assert.equal(html`${[ evil, html`<b>${evil}</b>` ]}`.value, `${escapeHtml(evil)}<b>${escapeHtml(evil)}</b>`);
      assert.equal(html`${undefined}${false}${null}${0}`.value, '0');
    });

    it('escapes crop names in the harvest chart.', (): void => {
      const chart = renderHarvestChart(ENGLISH, [{ slug: 'h1', type: 'harvest', name: 'Harvest <img src=x onerror=alert(1)>',
        timestamp: '2026-07-01T08:00:00Z', status: 'done', assets: [], quantities: [{ value: 12, unit: 'http://x#Kilogram', measure: 'weight' }] } as never ]).value;
      assert.ok(!chart.includes('<img'), chart);
      assert.match(chart, /&#60;img src=x onerror=alert\(1\)&#62;/u);
      assert.match(chart, /<td class="num">12\.0<\/td>/u, 'the table behind the chart');
    });
  });

  describe('sessions', (): void => {
    let folder: string;
    let clock: number;
    const sessionsIn = (key = 'key'): MemberSessions => new MemberSessions(folder, key, (): number => clock);

    beforeEach(async(): Promise<void> => {
      folder = await mkdtemp(join(tmpdir(), 'fmp-sessions-'));
      clock = Date.parse('2026-06-01T12:00:00Z');
    });

    afterEach(async(): Promise<void> => rm(folder, { recursive: true, force: true }));

    it('renews the id and CSRF token at sign-in, so a cookie planted before cannot ride on it.', async(): Promise<void> => {
      const sessions = sessionsIn();
      const session = sessions.create();
      session.webId = 'http://localhost:3000/a/profile/card#me';
      await sessions.save(session);
      const [ oldId, oldCsrf ] = [ session.id, session.csrf ];
      await sessions.renew(session);
      await sessions.save(session);
      assert.notEqual(session.id, oldId);
      assert.notEqual(session.csrf, oldCsrf);
      assert.equal((await sessions.find(oldId))?.webId, undefined, 'the old cookie holds nothing');
      assert.equal((await sessions.find(session.id))?.webId, session.webId);
      assert.match(session.id, /^[\w-]{43}$/u, '256 random bits');
      assert.equal(await sessions.find('../../etc/passwd'), undefined, 'a malformed cookie gets a new session');
    });

    it('keeps a session for every instance on the same folder, in files only the server may read.', async(): Promise<void> => {
      const one = sessionsIn();
      const session = one.create();
      session.webId = 'http://localhost:3000/a/profile/card#me';
      session.flash = { kind: 'ok', text: 'Saved.' };
      await one.save(session);
      const found = await sessionsIn().find(session.id);
      assert.equal(found?.webId, session.webId);
      assert.deepEqual(found?.flash, session.flash);
      assert.equal(found?.csrf, session.csrf, 'the same CSRF token, derived with the shared key');
      assert.notEqual((await sessionsIn('other key').find(session.id))?.csrf, session.csrf);
      const [ file ] = await readdir(folder);
      assert.ok(!file.includes(session.id), 'files are not named by the cookie');
      assert.equal((await stat(join(folder, file))).mode & 0o777, 0o600);
    });

    it('stores nothing for a visitor who holds nothing, and forgets a session idle for 12 hours.', async(): Promise<void> => {
      const sessions = sessionsIn();
      await sessions.save(sessions.create());
      assert.deepEqual(await readdir(folder), []);
      const session = sessions.create();
      session.webId = 'http://localhost:3000/a/profile/card#me';
      await sessions.save(session);
      clock += 12 * 3_600_000;
      const found = await sessions.find(session.id);
      assert.equal(found?.webId, session.webId);
      await sessions.save(found!);
      clock += 12 * 3_600_000 + 1;
      assert.equal((await sessions.find(session.id))?.webId, undefined);
      assert.deepEqual(await readdir(folder), []);
    });

    it('ends a session in every instance at once.', async(): Promise<void> => {
      const [ one, two ] = [ sessionsIn(), sessionsIn() ];
      const session = one.create();
      session.webId = 'http://localhost:3000/a/profile/card#me';
      await one.save(session);
      await two.end((await two.find(session.id))!);
      assert.equal((await one.find(session.id))?.webId, undefined);
    });

    it('keeps at most its bound, the longest idle going first.', async(): Promise<void> => {
      const sessions = sessionsIn();
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const session = sessions.create();
        session.webId = `http://localhost:3000/m${index}/profile/card#me`;
        await sessions.save(session);
        ids.push(session.id);
        clock += 60_000;
      }
      assert.equal(await sessions.sweep(2), 2);
      assert.equal((await readdir(folder)).length, 2);
      assert.equal((await sessions.find(ids[0]))?.webId, undefined, 'the longest idle went');
      assert.equal((await sessions.find(ids[2]))?.webId, 'http://localhost:3000/m2/profile/card#me');
    });
  });

  describe('who and when', (): void => {
    it('takes only WebIDs of pods on this FMP.', (): void => {
      assert.equal(podOfWebId('http://localhost:3000/greenacres/profile/card#me', 'http://localhost:3000/'), 'http://localhost:3000/greenacres/');
      assert.throws((): unknown => podOfWebId('https://elsewhere.example/greenacres/profile/card#me', 'http://localhost:3000/'), /no pod on this FMP/u);
      assert.throws((): unknown => podOfWebId('http://localhost:3000/profile/card#me', 'http://localhost:3000/'), /no pod on this FMP/u);
    });

    it('says until when in plain words.', (): void => {
      assert.equal(describeExpiry(new Date(NOW.getTime() + 3 * 86_400_000 + 5_000), NOW, ENGLISH), 'expires in 3 days');
      assert.equal(describeExpiry(new Date(NOW.getTime() + 3_600_000), NOW, ENGLISH), 'expires in 1 hour');
      assert.equal(describeExpiry(new Date(NOW.getTime() + 20_000), NOW, ENGLISH), 'expires in 1 minute');
      assert.equal(describeExpiry(NOW, NOW, ENGLISH), 'expired');
      assert.equal(describeAgo(new Date(NOW.getTime() - 10_000), NOW, ENGLISH), 'just now');
      assert.equal(describeAgo(new Date(NOW.getTime() - 2 * 60_000), NOW, ENGLISH), '2 minutes ago');
    });

    it('names audiences, apps and peers as a member reads them.', (): void => {
      assert.equal(describeGrantee(ENGLISH, { kind: 'public' }), 'everyone (public)');
      assert.equal(describeGrantee(ENGLISH, { kind: 'fmp-members' }), 'every member of this FMP');
      assert.equal(describeGrantee(ENGLISH, { kind: 'peer', issuer: 'https://north.example', peerName: 'northfield' }), 'FMP northfield');
      assert.equal(describeGrantee(ENGLISH, { kind: 'agent', webId: 'https://a.example/#me' }), 'https://a.example/#me');
    });
  });
});
