import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

describe('README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('its usage snippet is the compiled example, verbatim', () => {
    const m = readme.match(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- end snippet -->/);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(fs.readFileSync(path.join(ROOT, m![1]), 'utf8'));
  });

  test('its quick start is exactly the two commands', () => {
    const quickStart = readme.split('## Quick start')[1].split('```sh\n')[1].split('```')[0];
    expect(quickStart.split('\n').filter(Boolean).map((l) => l.split('#')[0].trim())).toEqual(['npm ci && npm run synth', 'npm test']);
  });

  test('.ci/run runs exactly the set-up and test commands', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(ci).toEqual(['npm ci', 'npm test']);
  });
});
