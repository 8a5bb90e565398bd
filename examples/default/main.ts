/** `npm run synth`: synthesizes the default example into dist/ and prints its summary. */
import { buildDefaultApp } from './app';
import { synthesize } from 'tokenscale/cdk8s';

const result = synthesize(buildDefaultApp(), { outdir: process.argv[2] ?? 'dist' });
console.log(result.summaryText);
