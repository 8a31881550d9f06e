// The Google provider's read-back parsers, without a browser: days as the dialog and the date widgets show
// them, product names as keys, and the batchexecute framing.
import t from 'tap';
import { dayLabel, dayOf, parseDays } from '../../src/providers/google/dialog.ts';
import { rpcPayload } from '../../src/providers/google/rpc.ts';
import { CONFIRMATION, PRODUCTS, productKey } from '../../src/providers/google/selectors.ts';

t.test('days as the dialog shows them', async (t) => {
  t.same(parseDays('Mar 4, 2026 – Nov 30, 2026'), [{ y: 2026, m: 3, d: 4 }, { y: 2026, m: 11, d: 30 }]);
  t.same(parseDays('Since Sept. 2, 2026'), [{ y: 2026, m: 9, d: 2 }], 'an open-ended range has one day');
  t.same(parseDays('All time'), []);
  t.same(parseDays('03/04/2026'), [], 'digits alone are ambiguous: not read as a day');
  t.same(dayOf('03/04/2026'), { y: 2026, m: 3, d: 4 }, 'MM/DD/YYYY as planned');
  t.equal(dayLabel({ y: 2026, m: 12, d: 1 }), 'Dec 1, 2026');
});

t.test('the confirmation lines', async (t) => {
  const text = "Confirm you'd like to delete the following activity\nProducts: Assistant\nDates: All time\nCancel\nDelete";
  t.equal(CONFIRMATION.products.exec(text)?.[1], 'Assistant');
  t.equal(CONFIRMATION.dates.exec(text)?.[1], 'All time');
  t.ok(PRODUCTS.assistant.name.test('Google Assistant') && !PRODUCTS.assistant.name.test('All products'));
  t.ok(PRODUCTS.gemini.name.test('Gemini Apps') && PRODUCTS.gemini.name.test('Gemini'));
});

t.test('product keys cannot collide', async (t) => {
  t.equal(productKey('Assistant'), 'assistant');
  t.equal(productKey('Gemini Apps'), 'gemini');
  t.equal(productKey('YouTube'), 'youtube');
  t.equal(productKey('Google Play Store'), 'google-play-store');
});

t.test('batchexecute frames', async (t) => {
  const body = `)]}'\n\n120\n[["wrb.fr","y3VFHd","[[[\\"t\\",\\"Assistant\\"]],null]",null,null,null,"generic"],["di",52]]\n25\n[["e",4,null,null,0]]\n`;
  t.same(rpcPayload(body, 'y3VFHd'), [[['t', 'Assistant']], null]);
  t.equal(rpcPayload(body, 'TmdDAd'), undefined, 'another RPC');
  t.equal(rpcPayload('<html>', 'y3VFHd'), undefined, 'not a batchexecute answer');
});
