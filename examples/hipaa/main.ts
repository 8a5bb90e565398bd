/** Synthesizes the HIPAA example: `npx ts-node examples/hipaa/main.ts [outdir]`. */
import { buildHipaaApp } from './app';
import { synthesize } from 'tokenscale/cdk8s';

console.log(synthesize(buildHipaaApp(), { outdir: process.argv[2] ?? 'dist/hipaa' }).summaryText);
