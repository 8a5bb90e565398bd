import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeDirectoryAtomically } from 'tokenscale';

describe('writeDirectoryAtomically', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-write-'));
  });

  test('writes nested files and replaces previous content', () => {
    const dir = path.join(root, 'out');
    writeDirectoryAtomically(dir, new Map([['a.yaml', 'a'], ['sub/b.json', '{}']]));
    writeDirectoryAtomically(dir, new Map([['c.yaml', 'c']]));
    expect(fs.readdirSync(dir)).toEqual(['c.yaml']);
    expect(fs.readdirSync(root)).toEqual(['out']);
  });

  test('leaves the previous directory untouched when a write fails', () => {
    const dir = path.join(root, 'out');
    writeDirectoryAtomically(dir, new Map([['a.yaml', 'first']]));
    expect(() => writeDirectoryAtomically(dir, new Map([['ok.yaml', 'x'], ['../escape.yaml', 'y']]))).toThrow(/outside the output directory/);
    expect(fs.readFileSync(path.join(dir, 'a.yaml'), 'utf8')).toBe('first');
    expect(fs.readdirSync(root)).toEqual(['out']);
  });
});
