// The status page's address as people reach it: configured, or the host's mDNS name; never loopback for a wildcard.
import t from 'tap';
import { publicUrl } from '../../src/http/public-url.ts';

t.test('public_url', async (t) => {
  const off = 'off' as const;
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, tls: off }, 8733, 'voicewipe-pi'), 'http://voicewipe-pi.local:8733/');
  t.equal(publicUrl({ host: '::', port: 8733, tls: off }, 9000, 'Pi'), 'http://pi.local:9000/', 'the real port, lower case');
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, tls: off }, 8733, 'pi.home.arpa'), 'http://pi.home.arpa:8733/', 'a full name stays');
  t.equal(publicUrl({ host: '192.168.1.5', port: 8733, tls: off }), 'http://192.168.1.5:8733/', 'a specific address is the one to use');
  t.equal(publicUrl({ host: 'fd00::5', port: 8733, tls: off }), 'http://[fd00::5]:8733/');
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, tls: off, public_url: 'https://voicewipe.example.net' }), 'https://voicewipe.example.net/');
});

t.test('voicewipe\'s own HTTPS (tls: auto on the LAN, or on) gives an https:// address; loopback stays http://', async (t) => {
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, tls: 'auto' }, 8733, 'voicewipe-pi'), 'https://voicewipe-pi.local:8733/');
  t.equal(publicUrl({ host: '192.168.1.5', port: 8733, tls: 'on' }), 'https://192.168.1.5:8733/');
  t.equal(publicUrl({ host: '127.0.0.1', port: 8733, tls: 'auto' }), 'http://127.0.0.1:8733/', 'plain HTTP on loopback');
  t.equal(publicUrl({ host: '0.0.0.0', port: 8733, tls: 'auto', public_url: 'http://proxy.lan/' }), 'http://proxy.lan/', 'the configured one wins');
});
