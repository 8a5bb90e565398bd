/**
 * Generates API.md from the doc comments with typedoc and typedoc-plugin-markdown: one section per entry
 * point (`tokenscale`, `tokenscale/cdk8s`, ...). `--check` fails when the committed API.md is stale or when
 * an optional prop of an exported interface does not document its `@default`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Application, ProjectReflection, ReflectionKind } from 'typedoc';

const ROOT = path.resolve(__dirname, '..');
const ENTRY_POINTS: Array<[string, string]> = [
  ['tokenscale', 'src/core/index.ts'],
  ['tokenscale/cdk8s', 'src/cdk8s/index.ts'],
  ['tokenscale/pulumi', 'src/pulumi/index.ts'],
];

/** Optional properties of exported interfaces whose doc comment has no `@default` tag. */
export function propsWithoutDefault(project: ProjectReflection): string[] {
  return project.getReflectionsByKind(ReflectionKind.Property)
    .filter((p) => p.flags.isOptional && p.parent?.kindOf(ReflectionKind.Interface))
    .filter((p) => !p.comment?.blockTags.some((t) => t.tag === '@default'))
    .map((p) => p.getFullName());
}

/** Converts the public API with typedoc. */
export async function convertApi(out: string): Promise<{ app: Application; project: ProjectReflection }> {
  const app = await Application.bootstrapWithPlugins({
    entryPoints: ENTRY_POINTS.map(([, file]) => path.join(ROOT, file)),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    plugin: ['typedoc-plugin-markdown'],
    out,
    readme: 'none',
    excludePrivate: true,
    excludeInternal: true,
    disableSources: true,
    logLevel: 'Error',
    // typedoc-plugin-markdown options
    router: 'module',
    hidePageHeader: true,
    hideBreadcrumbs: true,
  } as any);
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not convert the project');
  return { app, project };
}

export async function renderApiMarkdown(): Promise<string> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-api-'));
  try {
    const { app, project } = await convertApi(out);
    await app.generateOutputs(project);
    const sections = ENTRY_POINTS.map(([name, file]) => {
      const body = fs.readFileSync(path.join(out, `${path.basename(path.dirname(file))}.md`), 'utf8');
      return `# \`${name}\`\n\n${body.replace(/^# .*\n/, '').replace(/\]\((\w+)\.md#/g, '](#').trim()}\n`;
    });
    return `<!-- Generated from the doc comments by build-tools/api-docs.ts (npm run docgen); do not edit. -->\n\n${sections.join('\n')}`;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const markdown = await renderApiMarkdown();
  const file = path.join(ROOT, 'API.md');
  if (process.argv.includes('--check')) {
    const { project } = await convertApi(fs.mkdtempSync(path.join(os.tmpdir(), 'tokenscale-api-')));
    const undocumented = propsWithoutDefault(project);
    if (undocumented.length > 0) {
      console.error(`These optional props have no @default in their doc comment:\n${undocumented.map((p) => `  - ${p}`).join('\n')}`);
      process.exit(1);
    }
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== markdown) {
      console.error('API.md is stale: run `npm run docgen` and commit it.');
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(file, markdown);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
