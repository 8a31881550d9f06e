import t from 'tap';
import { ACCOUNT_KEYS, didYouMean, TOP_KEYS } from '../../src/config/schema.ts';
import { envReference, substituteEnv } from '../../src/config/secrets.ts';

t.test('didYouMean suggests near misses only', (t) => {
  t.equal(didYouMean('timezon', TOP_KEYS), 'timezone');
  t.equal(didYouMean('Timezone', TOP_KEYS), 'timezone');
  t.equal(didYouMean('acounts', TOP_KEYS), 'accounts');
  t.equal(didYouMean('keep-days', ACCOUNT_KEYS), 'keep_days');
  t.equal(didYouMean('pasword_file', ACCOUNT_KEYS), 'password_file');
  t.equal(didYouMean('prot', ['host', 'port']), 'port', 'a swap of two letters is one edit');
  t.equal(didYouMean('colour', TOP_KEYS), undefined);
  t.equal(didYouMean('x', ['id']), undefined);
  t.end();
});

t.test('substituteEnv and envReference', (t) => {
  t.same(substituteEnv('a ${X} b ${Y}', { X: '1', Y: '' }), { value: 'a 1 b ', missing: [], invalid: [] });
  t.same(substituteEnv('${NOPE}', {}), { value: '', missing: ['NOPE'], invalid: [] });
  t.same(substituteEnv('$${X} $$', { X: '1' }), { value: '${X} $$', missing: [], invalid: [] });
  t.same(substituteEnv('${1X} ${unclosed', {}).invalid, ['${1X}', '${unclosed']);
  t.equal(envReference('${AMAZON_PASSWORD}'), 'AMAZON_PASSWORD');
  t.equal(envReference(' ${A} '), 'A');
  t.equal(envReference('x${A}'), undefined);
  t.equal(envReference('${A}${B}'), undefined);
  t.equal(envReference('hunter2'), undefined);
  t.end();
});
