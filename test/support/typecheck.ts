/** Type-checks files as a user's project would see the package (`tokenscale`, `tokenscale/*` from src/). */
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

/** Diagnostics as `file: message` lines (empty when the files type-check). */
export function typeErrors(files: readonly string[]): string[] {
  const program = ts.createProgram([...files], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
    types: ['node'],
    paths: { 'tokenscale/cdk8s': ['src/cdk8s/index.ts'], 'tokenscale/pulumi': ['src/pulumi/index.ts'], 'tokenscale': ['src/core/index.ts'] },
  });
  return ts.getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}
