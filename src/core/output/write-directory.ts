/**
 * Atomic output: a directory is rendered in memory, written to a sibling temporary directory and renamed
 * into place, so no reader ever sees it half written.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Writes `files` (relative path to content) as the whole content of `dir`, replacing what was there. */
export function writeDirectoryAtomically(dir: string, files: ReadonlyMap<string, string>): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  try {
    for (const [relative, content] of files) {
      const file = path.resolve(staging, relative);
      if (!file.startsWith(staging + path.sep)) {
        throw new Error(`refusing to write ${JSON.stringify(relative)} outside the output directory`);
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    let previous: string | undefined;
    if (fs.existsSync(target)) {
      previous = `${staging}.previous`;
      fs.renameSync(target, previous);
    }
    fs.renameSync(staging, target);
    if (previous) fs.rmSync(previous, { recursive: true, force: true });
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}
