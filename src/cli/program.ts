/**
 * The `tokenscale` command: synth, check, cost, simulate and init, with conventional exit codes (0 ok,
 * 1 policy violation, 2 usage or input error). User errors print a message, never a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError, Option } from 'commander';
import { ValidationFailedError } from '../cdk8s';
import { POLICY_NAMES, TokenscaleError } from '../core';
import { runCheck } from './commands/check';
import { runCost } from './commands/cost';
import { runInit } from './commands/init';
import { runSimulate, SimulateOptions } from './commands/simulate';
import { runSynth } from './commands/synth';
import { CliIo, EXIT, processIo, UsageError } from './io';

/** The package version, for `--version` and SARIF. */
export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

function buildProgram(io: CliIo, setExit: (code: number | Promise<number>) => Promise<void>): Command {
  const version = packageVersion();
  const program = new Command('tokenscale')
    .description('LLM inference on Kubernetes at the lowest GPU cost that keeps latency, data-residency and audit promises.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');

  program.command('synth')
    .description('Synthesize a fleet file into Kubernetes manifests (the same objects as the cdk8s constructs), written atomically.')
    .requiredOption('-f, --file <fleet.yaml>', 'the fleet file')
    .option('-o, --outdir <dir>', 'output directory, replaced whole', 'dist')
    .action((opts: { file: string; outdir: string }) => setExit(runSynth(opts, io)));

  program.command('check')
    .description("Evaluate the compliance envelope's rules on Kubernetes YAML files or directories (exit 1 on a violation).")
    .argument('[paths...]', 'YAML or JSON files, or directories searched for them')
    .option('-s, --spec <fleet.yaml>', "check against this fleet's envelope (profile, zones, waivers)")
    .addOption(new Option('-p, --profile <profile>', 'parameter preset').choices(['baseline', 'hipaa', 'pci']).default('baseline'))
    .option('-z, --zones <zones>', 'allowed zones, comma-separated (required without --spec)')
    .option('--min-replicas <n>', 'lowest replica minimum allowed')
    .option('--max-replicas <n>', 'highest replica maximum allowed')
    .option('--budget-usd <usd>', 'monthly GPU budget per NodePool; enables the gpu-budget rule')
    .option('--required-labels <labels>', 'labels every inference Deployment carries, comma-separated')
    .option('--require-digest', 'require images pinned by digest')
    .option('--residency-namespaces <namespaces>', 'namespaces whose running pods must sit in the allowed zones (pods from kubectl get -o yaml), comma-separated')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .action((paths: string[], opts: Record<string, unknown>) => setExit(runCheck(paths, opts, io, version)));

  program.command('cost')
    .description("Price a fleet: each service's monthly cost at its minimum and maximum replicas, and each pool's cap.")
    .option('-f, --file <fleet.yaml>', 'the fleet file')
    .option('--spec <fleet.yaml>', 'the fleet file (same as --file)')
    .addOption(new Option('-o, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { file?: string; spec?: string; format: string }) => setExit(runCost({ ...opts, file: fleetFile(opts) }, io)));

  program.command('simulate')
    .description("Replay a request trace against a service's scaler and the field's policies: GPU-hours, dollars, TTFT, lost requests.")
    .option('-f, --file <fleet.yaml>', 'the fleet file')
    .option('--spec <fleet.yaml>', 'the fleet file (same as --file)')
    .option('--service <name>', 'the service to simulate (default: the first with a scaler)')
    .option('-t, --trace <file>', 'an Azure LLM trace CSV or a JSONL trace (default: the seeded synthetic trace)')
    .option('--trace-start <time>', "wall-clock time of the trace's first request, ISO 8601, for scheduled windows (default: an Azure CSV's first timestamp)")
    .option('--rate-scale <n>', 'multiply arrivals by n', '1')
    .option('--policies <list>', `all, or a comma-separated subset of ${POLICY_NAMES.join(',')}`, 'all')
    .option('--seed <n>', 'seed of the synthetic trace, of rate scaling and of spot reclaims', '42')
    .option('--duration <seconds>', 'length of the synthetic trace', '3600')
    .option('--mean-rate <rps>', 'mean arrival rate of the synthetic trace, requests per second', '2')
    .option('--slo <seconds>', "TTFT SLO (default: the scaler's observability.ttftSloSeconds, else its TTFT signal's target, else 2.5 s)")
    .option('--completion-slo <seconds>', "completion SLO, arrival to last token (default: the scaler's observability.completionSloSeconds, else none)")
    .option('--batch-deadline <seconds>', "seconds from the trace's start by which every request must be answered, none lost (default: none)")
    .option('--profile <file.json>', "a measured replica profile (default: the roofline profile of the service's model on its pool's GPU)")
    .option('--spot-reclaims <rate>', 'reclaims per spot node-hour, on a pool with spot capacity (default: 0, spot nodes are not reclaimed)')
    .option('--spot-reclaims-by-zone', "with --spot-reclaims, a reclaim takes every spot node of one of the pool's zones at once")
    .option('--no-foresight', 'skip the search for the foresight schedule (many simulations of the trace: slow on long traces)')
    .option('--foresight-window <seconds>', 'window of the foresight schedule (default: 120, or a 60th of a trace longer than 2 hours)')
    .option('--tune', "also tune the scaler's queue-depth and KV-cache targets and its floor on the trace (a few dozen simulations)")
    .option('--tune-also <files>', 'more trace files, comma-separated, the tuned setting must also hold the SLO target on')
    .option('-o, --out <dir>', 'write results.json, timeseries.json, chart.svg and report.md here (replaced whole)')
    .action((opts: Omit<SimulateOptions, 'file'> & { file?: string; spec?: string }) => setExit(runSimulate({ ...opts, file: fleetFile(opts) }, io)));

  program.command('init')
    .description('Write a starter fleet.yaml (or a cdk8s main.ts): the default example.')
    .addOption(new Option('--template <template>', 'what to write').choices(['fleet', 'cdk8s']).default('fleet'))
    .option('-o, --output <file>', 'file to write (default: fleet.yaml or main.ts)')
    .option('--force', 'overwrite an existing file')
    .action((opts: { template: string; output?: string; force?: boolean }) => setExit(runInit(opts, io)));

  return program;
}

/** The fleet file of a command that takes it as `-f/--file` or `--spec`. */
function fleetFile(opts: { file?: string; spec?: string }): string {
  const file = opts.file ?? opts.spec;
  if (!file) throw new UsageError('pass the fleet file with -f fleet.yaml (or --spec fleet.yaml)');
  return file;
}

/** Runs the command line (without the node and script arguments) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exit: number = EXIT.ok;
  // Actions return this promise, so parseAsync awaits every command and its errors land in the catch below.
  const program = buildProgram(io, async (code) => {
    exit = await code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Help and version exit 0; every parse error has already been printed by commander.
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof ValidationFailedError) {
    io.err(`${err.message}\n`);
    return EXIT.violation;
  }
  if (err instanceof TokenscaleError || err instanceof UsageError) {
    io.err(`error: ${err.message}\n`);
    return EXIT.usage;
  }
  const detail = process.env.TOKENSCALE_DEBUG ? `\n${(err as Error)?.stack ?? ''}` : ' (set TOKENSCALE_DEBUG=1 for the stack trace)';
  io.err(`internal error: ${(err as Error)?.message ?? String(err)}${detail}\nThis is a bug in tokenscale; please report it with the command line.\n`);
  return EXIT.internal;
}
