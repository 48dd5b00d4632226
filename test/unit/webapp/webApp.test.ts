import { strict as assert } from 'node:assert';
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
    it('renews the id and CSRF token at sign-in, so a cookie planted before cannot ride on it.', (): void => {
      const sessions = new MemberSessions();
      const session = sessions.create();
      const [ oldId, oldCsrf ] = [ session.id, session.csrf ];
      sessions.renew(session);
      assert.notEqual(session.id, oldId);
      assert.notEqual(session.csrf, oldCsrf);
      assert.equal(sessions.find(oldId), undefined);
      assert.equal(sessions.find(session.id), session);
      assert.match(session.id, /^[\w-]{43}$/u, '256 random bits');
    });

    it('forgets a session idle for 12 hours.', (): void => {
      const sessions = new MemberSessions();
      const session = sessions.create(0);
      assert.equal(sessions.find(session.id, 12 * 3_600_000), session);
      assert.equal(sessions.find(session.id, 24 * 3_600_000 + 1), undefined);
      assert.equal(sessions.size, 0);
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
