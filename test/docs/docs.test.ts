/**
 * docs/: a page per construct that opens with its purpose and a complete example; every TypeScript example
 * type-checks against the package and every fleet example builds.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { typeErrors } from '../support/typecheck';
import { parseFleet } from 'tokenscale';
import * as cdk8s from 'tokenscale/cdk8s';

const ROOT = path.join(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const pages = fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => [f, fs.readFileSync(path.join(DOCS, f), 'utf8')] as const);
const blocks = (lang: string) => pages.flatMap(([file, text]) => [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m, i) => [file, i, m[1]] as const));
const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

describe('docs', () => {
  const constructs = Object.entries(cdk8s).filter(([, v]) => typeof v === 'function' && v.prototype instanceof Construct).map(([name]) => name);

  it.each(constructs)('%s has a page that opens with its purpose and a complete example', (name) => {
    const file = path.join(DOCS, `${kebab(name)}.md`);
    expect(fs.existsSync(file)).toBe(true);
    const [title, blank, purpose] = fs.readFileSync(file, 'utf8').split('\n');
    expect([title, blank]).toEqual([`# ${name}`, '']);
    expect(purpose.length).toBeGreaterThan(60);
    const example = blocks('ts').find(([f]) => f === `${kebab(name)}.md`);
    expect(example?.[2]).toContain(`new ${name}(`);
    expect(example?.[2]).toContain('synthesize(app');
  });

  test('every TypeScript example type-checks against the package', () => {
    const dir = path.join(ROOT, '.docs-check');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    try {
      const files = blocks('ts').map(([file, i, code]) => {
        const out = path.join(dir, `${path.basename(file, '.md')}-${i}.ts`);
        fs.writeFileSync(out, code);
        return out;
      });
      expect(files.length).toBeGreaterThanOrEqual(6);
      expect(typeErrors(files)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('every fleet example builds', () => {
    const fleets = blocks('yaml').filter(([, , text]) => /^kind: Fleet$/m.test(text));
    expect(fleets.length).toBeGreaterThanOrEqual(1);
    for (const [file, , text] of fleets) {
      const { app } = cdk8s.buildFleetApp(parseFleet(text, file));
      expect(app.charts.flatMap((c) => c.toJson()).length).toBeGreaterThan(10);
    }
  });
});
