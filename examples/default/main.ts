/** `npm run synth`: synthesizes the default example into dist/ and prints its summary. */
import { synthesize } from 'tokenscale/cdk8s';
import { buildDefaultApp } from './app';

const result = synthesize(buildDefaultApp(), { outdir: process.argv[2] ?? 'dist' });
console.log(result.summaryText);
