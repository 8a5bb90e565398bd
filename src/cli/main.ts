#!/usr/bin/env node
/** The `tokenscale` binary. */

/** The command builds fleets with the cdk8s constructs; cdk8s and constructs are peer dependencies. */
function loadProgram(): typeof import('./program') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('./program') as typeof import('./program');
  } catch (err) {
    const missing = /Cannot find module '(cdk8s|constructs)'/.exec(String((err as Error)?.message));
    if (!missing) throw err;
    process.stderr.write(`error: the tokenscale command needs ${missing[1]}, a peer dependency: npm install --save-dev cdk8s constructs\n`);
    process.exit(2);
  }
}

void loadProgram().runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
