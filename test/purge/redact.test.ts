// Error texts as stored and published: URLs keep scheme, host and path; queries, fragments and logins go.
import t from 'tap';
import { redactUrl, redactUrls } from '../../src/purge/redact.ts';

t.test('one URL', async (t) => {
  t.equal(redactUrl('https://www.amazon.com/ap/signin?openid.return_to=x&session-id=123#top'), 'https://www.amazon.com/ap/signin?…');
  t.equal(redactUrl('https://myactivity.google.com/product/assistant'), 'https://myactivity.google.com/product/assistant', 'nothing to cut');
  t.equal(redactUrl('https://user:pw@example.com/x'), 'https://example.com/x');
  t.equal(redactUrl('http://[bad'), 'http://[bad');
});

t.test('URLs inside error texts', async (t) => {
  const text = 'page.goto: net::ERR_CONNECTION_RESET at https://www.amazon.co.uk/alexa-privacy/apd/rvh?ref_=nav&csrf=tok-1. Retried (see https://a.example/b?c=d), then gave up';
  const out = redactUrls(text);
  t.equal(out, 'page.goto: net::ERR_CONNECTION_RESET at https://www.amazon.co.uk/alexa-privacy/apd/rvh?…. Retried (see https://a.example/b?…), then gave up');
  t.notMatch(out, /tok-1|c=d|ref_/);
  t.equal(redactUrls('waiting for locator(\'#ap_email\') failed'), 'waiting for locator(\'#ap_email\') failed', 'text without URLs is unchanged');
  t.equal(redactUrls('wss://broker.example:8884/mqtt?token=abc dropped'), 'wss://broker.example:8884/mqtt?… dropped');
  t.equal(redactUrls(null), null);
  t.equal(redactUrls(undefined), undefined);
  t.equal(redactUrls(''), '');
});
