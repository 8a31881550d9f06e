// The status page's address as people reach it: configured, or the host's mDNS name; never loopback for a wildcard.
import t from 'tap';
import { publicUrl } from '../../src/http/public-url.ts';

t.test('public_url', async (t) => {
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733 }, 8733, 'voicewipe-pi'), 'http://voicewipe-pi.local:8733/');
  t.equal(publicUrl({ host: '::', port: 8733 }, 9000, 'Pi'), 'http://pi.local:9000/', 'the real port, lower case');
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733 }, 8733, 'pi.home.arpa'), 'http://pi.home.arpa:8733/', 'a full name stays');
  t.equal(publicUrl({ host: '192.168.1.5', port: 8733 }), 'http://192.168.1.5:8733/', 'a specific address is the one to use');
  t.equal(publicUrl({ host: 'fd00::5', port: 8733 }), 'http://[fd00::5]:8733/');
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, public_url: 'https://voicewipe.example.net' }), 'https://voicewipe.example.net/');
});
