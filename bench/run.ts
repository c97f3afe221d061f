/**
 * `npm run bench`: ingest throughput against the storage ceiling, write cost per mark,
 * function bundles and their import time, and the weekly rollup against the raw reads, each
 * on its own DynamoDB Local (started and stopped here, also on failure or Ctrl-C). Prints a
 * table as it goes and writes bench/results.json. Figures are reported, never asserted.
 */
import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// Before anything creates the logger: one warning line per problem, not one line per event.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

const { startLocalStack } = await import('../infra/local/stack');
const { addSchool } = await import('../shared/services/schools');
const { weekJustEnded } = await import('../shared/domain/calendar');
const { measureFunctions } = await import('./functions');
const { measureIngest, measureWriteCost, runRound } = await import('./ingest');
const { instrument } = await import('./meter');
const { measureRollup } = await import('./rollup');
const { LatencyProbe, measureLatency } = await import('./latency');
const { goals, render } = await import('./report');
const { pricesEuWest2, schoolMonthlyCost } = await import('./cost');

type Stack = Awaited<ReturnType<typeof startLocalStack>>;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const progress = (line: string) => console.log(`[${elapsed()}] ${line}`);

/** Everything started here, stopped in reverse order whatever happens. */
const running = new Set<() => Promise<void>>();
async function stopAll() {
  for (const stop of [...running].reverse()) {
    running.delete(stop);
    await stop().catch((error) => console.error(`stopping failed: ${(error as Error).message}`));
  }
  // Safety net: any JVM this process spawned and that is still alive (a stack that failed half-way).
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/s.exec(stat) ?? [];
      if (comm === 'java' && Number(rest?.split(' ')[1]) === process.pid) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping everything the bench started…`);
    void stopAll().finally(() => process.exit(130));
  });
}

async function withStack<T>(label: string, work: (stack: Stack) => Promise<T>, options: Partial<Parameters<typeof startLocalStack>[0]> = {}): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), `tracker-bench-${label}-`));
  progress(`starting DynamoDB Local and the local stack (${label})`);
  // The schedule has "already run" this week: the minute timer must not start a rollup mid-measurement.
  await writeFile(join(dataDir, 'scheduler.json'), JSON.stringify({ 'Europe/London': weekJustEnded(new Date(), 'Europe/London') }));
  const stack = await startLocalStack({ port: 0, dataDir, inMemory: true, ...options });
  const stop = async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  running.add(stop);
  try {
    return await work(stack);
  } finally {
    running.delete(stop);
    await stop();
    progress(`stopped the ${label} stack`);
  }
}

function machine() {
  const git = (command: string) => {
    try {
      return execSync(command, { cwd: join(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    node: process.version,
    java: git('java -version 2>&1 | head -1'),
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
    gitCommit: git('git rev-parse --short HEAD'),
    workingTreeChanges: git('git status --porcelain --untracked-files=no | wc -l'),
  };
}

async function main() {
  const machineInfo = machine();
  progress(`machine: ${machineInfo.cores} cores, ${machineInfo.memoryGiB} GiB, Node ${machineInfo.node}, load ${machineInfo.loadAverageAtStart.join('/')}`);

  progress('FUNCTIONS: bundling each functions/<name>/index.ts as CDK does, then timing imports');
  const functions = await measureFunctions(10, progress);

  const { ingest, cost } = await withStack('ingest', async (stack) => {
    const meter = instrument(stack.adapters.table.client);
    const { webhookSecret } = await addSchool({ schoolId: 'bench-ingest', name: 'Bench Ingest', leaders: ['head@bench-ingest.example.org'] }, stack.adapters);
    progress('INGEST: warm-up round each way (untimed: JIT, connection pools)');
    await runRound(stack, 'bench-ingest', webhookSecret, 'webhook', 8, 4000);
    await runRound(stack, 'bench-ingest', webhookSecret, 'batchWrite', 8, 4000);
    await runRound(stack, 'bench-ingest', webhookSecret, 'conditionalInsert', 8, 4000);
    await stack.flush();
    const ingest = await measureIngest(stack, 'bench-ingest', webhookSecret, {
      concurrencies: [1, 8, 32],
      pairs: 2,
      // At least one 500-event request per worker; c=1 sends 8 requests one after another.
      marksPerRound: (concurrency) => Math.max(4000, concurrency * 500),
      progress,
    });
    progress('WRITE COST: a 1,000-pupil school day, every DynamoDB request and its consumed capacity counted');
    const { webhookSecret: costSecret } = await addSchool(
      { schoolId: 'bench-cost', name: 'Bench Cost', leaders: ['head@bench-cost.example.org'] },
      stack.adapters,
    );
    const cost = await measureWriteCost(stack, meter, 'bench-cost', costSecret, 1000);
    progress(`  ${cost.writeRoundTripsPerEvent.toFixed(3)} write requests and ${cost.wcuPerEvent.toFixed(3)} WCU per mark`);
    return { ingest, cost };
  });

  const probe = new LatencyProbe();
  const latency = await withStack(
    'latency',
    async (stack) => {
      progress('LATENCY: webhook 200 → parent email in the outbox, first-day absences, 1 and 32 requests in flight');
      const { webhookSecret } = await addSchool(
        { schoolId: 'bench-latency', name: 'Bench Latency', leaders: ['head@bench-latency.example.org'] },
        stack.adapters,
      );
      return measureLatency(stack, probe, 'bench-latency', webhookSecret, progress);
    },
    probe.stackOptions(),
  );

  const rollup = await withStack('rollup', async (stack) => {
    progress('ROLLUP: seeding two 1,000-pupil schools (1 and 30 prior weeks)');
    return measureRollup(stack, { pupils: 1000, priorWeeks: 30, runs: 9, meter: instrument(stack.adapters.table.client), progress });
  });
  rollup.implementation = rollupImplementation();

  const figures = { ingest, cost, functions, rollup, latency };
  const monthly = schoolMonthlyCost({ cost, rollup });
  const goalList = goals(ingest, cost, functions, rollup, latency);
  const machineFigures = { ...machineInfo, loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))) };
  const results = {
    generatedAt: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - started) / 1000),
    machine: machineFigures,
    ingest: ingest.map(
      ({
        concurrency,
        eventsPerSecond,
        storageCeilingPerSecond,
        ratio,
        conditionalCeilingPerSecond,
        ratioToConditionalCeiling,
        rounds,
        marksPerRound,
        retried5xx,
        duplicateAnswers,
      }) => ({
        concurrency,
        eventsPerSecond: Math.round(eventsPerSecond),
        storageCeilingPerSecond: Math.round(storageCeilingPerSecond),
        ratio: Number(ratio.toFixed(3)),
        conditionalCeilingPerSecond: Math.round(conditionalCeilingPerSecond),
        ratioToConditionalCeiling: Number(ratioToConditionalCeiling.toFixed(3)),
        marksPerRound,
        rounds: {
          webhook: rounds.webhook.map(Math.round),
          batchWrite: rounds.batchWrite.map(Math.round),
          conditionalInsert: rounds.conditionalInsert.map(Math.round),
        },
        retried5xx,
        duplicateAnswers,
      }),
    ),
    latency: latency.map((figure) => Object.fromEntries(Object.entries(figure).map(([key, value]) => [key, Math.round(value)]))),
    writeRoundTripsPerEvent: Number(cost.writeRoundTripsPerEvent.toFixed(4)),
    wcuPerEvent: Number(cost.wcuPerEvent.toFixed(4)),
    writeCost: cost,
    functions: functions.map((figure) =>
      Object.fromEntries(Object.entries(figure).map(([key, value]) => [key, typeof value === 'number' && !Number.isInteger(value) ? round1(value) : value])),
    ),
    rollup,
    costPerSchoolPerMonth: {
      totalUsd: Number(monthly.totalUsd.toFixed(3)),
      lines: monthly.lines.map((line) => ({ ...line, usdPerMonth: Number(line.usdPerMonth.toFixed(4)) })),
      assumptions: monthly.assumptions,
      prices: pricesEuWest2,
    },
    goals: goalList,
    notes: [
      'ingest: concurrency = requests in flight (webhook: HTTP requests of 500 marks; ceilings: calls of 25). Rounds alternate webhook / BatchWriteItem / conditional INSERT, fresh pupils each round, stream and bus drained between rounds; figures are medians. The conditional ceiling (PartiQL INSERT, put-if-absent, 25 per BatchExecuteStatement) is the cheapest write that still lets concurrent duplicates store once.',
      'Everything (load generator, local stack, DynamoDB Local JVM) shares this machine; other work on it shows in the spread of the rounds and in machine.loadAverage*.',
      'Logs at WARN (POWERTOOLS_LOG_LEVEL) so that the table stays readable; the webhook logs one line per request at INFO when deployed.',
      'WCU: ConsumedCapacity as DynamoDB Local reports it (TOTAL, added by the meter); a write whose condition fails reports none and is counted as 1 WCU (AWS bills ≥ 1); BatchExecuteStatement reports none in DynamoDB Local, so its statements are billed by item size per AWS rules (bench/meter.ts).',
      "functions: bundles built with the options of infra/constructs/tracker-function.ts (externalModules: [] — the SDK is bundled); NodejsFunction's default would leave @aws-sdk/* external (bundleBytesSdkExternal, initMsSdkExternal).",
    ],
  };
  const output = join(import.meta.dirname, 'results.json');
  await writeFile(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\n${render({ ...figures, monthly, machine: { cores: machineFigures.cores, memoryGiB: machineFigures.memoryGiB, node: machineFigures.node, load: `${machineFigures.loadAverageAtStart[0]} → ${machineFigures.loadAverageAtEnd[0]}` }, goals: goalList })}`,
  );
  progress(`wrote ${output}`);
}

const round1 = (value: number) => Number(value.toFixed(1));

function rollupImplementation(): string {
  try {
    const log = execSync('git log -1 --format=%h\\ %s -- functions/rollup-school shared/services/rollups.ts', { cwd: join(import.meta.dirname, '..') })
      .toString()
      .trim();
    return log || 'unknown';
  } catch {
    return 'unknown';
  }
}

try {
  await main();
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
