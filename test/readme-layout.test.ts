// The README's Layout section names every top-level source file, source folder and script, so it keeps up with the tree.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');
const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

t.ok(layout.length > 0, 'the README has a Layout section with a tree');

t.test('every file and folder directly in src/, and every script, is named', async (t) => {
  for (const entry of readdirSync(`${root}src`, { withFileTypes: true })) {
    const name = entry.isDirectory() ? `${entry.name}/` : entry.name;
    t.ok(layout.includes(name), `src/${name} is in the Layout section`);
  }
  for (const file of readdirSync(`${root}scripts`)) t.ok(layout.includes(file), `scripts/${file} is in the Layout section`);
  for (const folder of ['sim/', 'web/', 'test/', 'bench/', 'migrations/', 'homeassistant/', 'systemd/', 'docker/']) {
    t.ok(layout.includes(folder), `${folder} is in the Layout section`);
  }
});

t.test('the files it names under src/purge/, src/browser/ and src/mqtt/ exist', async (t) => {
  for (const folder of ['purge', 'browser', 'mqtt']) {
    const files = new Set(readdirSync(`${root}src/${folder}`));
    const block = layout.slice(layout.indexOf(`  ${folder}/`));
    // Its lines end where the next folder of src/ starts, or the tree leaves src/.
    const end = block.slice(3).search(/\n( {2}[a-z]+\/ |[^ ])/);
    const own = block.slice(0, end < 0 ? undefined : end + 3);
    t.ok(own.length > 0, `src/${folder}/ has its own lines`);
    for (const named of own.match(/[a-z-]+\.ts/g) ?? []) t.ok(files.has(named), `src/${folder}/${named} exists`);
  }
});
