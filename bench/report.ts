import type { FunctionFigure } from './functions';
import type { IngestFigure, WriteCost } from './ingest';
import type { LatencyFigure } from './latency';
import type { RollupFigure } from './rollup';

/** The readable table `npm run bench` prints, and the goals each figure is read against. */

export interface Goal {
  goal: string;
  target: string;
  measured: string;
  met: boolean;
}

export const goalTargets = {
  ingestRatio: 0.5,
  /** Webhook ÷ put-if-absent ceiling, at every concurrency (the honest ceiling: docs/performance.md). */
  conditionalRatio: 0.9,
  /** A function's import time ÷ that of the SDK clients it uses, imported alone. */
  floorRatio: 1.2,
  wcuPerMark: 1.1,
  bundleBytes: 250 * 1024,
  initOverBaselineMs: 50,
  rollupRatio: 2,
  historyRatio: 1.2,
};

const worst = <T>(list: T[], by: (item: T) => number) => list.reduce((best, item) => (by(item) > by(best) ? item : best), list[0]!);

/** A goal read as "at least" or "at most" its target; `unit` follows both numbers. */
function bound(direction: '≥' | '≤', goal: string, value: number, limit: number, digits = 2, unit = ''): Goal {
  return {
    goal,
    target: `${direction} ${limit}${unit}`,
    measured: `${value.toFixed(digits)}${unit}`,
    met: direction === '≥' ? value >= limit : value <= limit,
  };
}

export function goals(
  ingest: IngestFigure[],
  cost: WriteCost,
  functions: FunctionFigure[],
  rollup: RollupFigure | undefined,
  latency: LatencyFigure[] = [],
): Goal[] {
  const highest = worst(ingest, (figure) => figure.concurrency);
  const lowestConditional = worst(ingest, (figure) => -figure.ratioToConditionalCeiling);
  const largest = worst(functions, (figure) => figure.bundleBytes);
  const slowest = worst(functions, (figure) => figure.initOverBaselineMs);
  const overFloor = worst(functions, (figure) => figure.ratioToFloor);
  const overFloorCpu = worst(functions, (figure) => figure.ratioToFloorCpu);
  const list: Goal[] = [
    bound('≥', `ingest ratio at concurrency ${highest.concurrency}`, highest.ratio, goalTargets.ingestRatio),
    bound(
      '≥',
      `ingest ÷ put-if-absent ceiling, lowest (concurrency ${lowestConditional.concurrency})`,
      lowestConditional.ratioToConditionalCeiling,
      goalTargets.conditionalRatio,
    ),
    bound('≤', `import ÷ its SDK clients alone, highest (${overFloor.name})`, overFloor.ratioToFloor, goalTargets.floorRatio),
    bound('≤', `same in CPU time, highest (${overFloorCpu.name})`, overFloorCpu.ratioToFloorCpu, goalTargets.floorRatio),
    bound('≤', 'WCU per attendance mark', cost.wcuPerEvent, goalTargets.wcuPerMark, 3),
    bound('≤', `largest bundle (${largest.name})`, largest.bundleBytes / 1024, goalTargets.bundleBytes / 1024, 0, ' KB'),
    bound('≤', `slowest import over empty module (${slowest.name})`, slowest.initOverBaselineMs, goalTargets.initOverBaselineMs, 0, ' ms'),
  ];
  for (const figure of latency) {
    list.push({
      goal: `webhook 200 → parent email, ${figure.concurrency} in flight`,
      target: 'reported',
      measured: `p50 ${figure.p50Ms.toFixed(0)} ms, p95 ${figure.p95Ms.toFixed(0)} ms`,
      met: true,
    });
  }
  if (rollup) {
    list.push(
      bound('≤', 'rollup time ÷ raw week queries', rollup.ratio, goalTargets.rollupRatio),
      bound('≤', 'rollup with 30 prior weeks ÷ with 1', rollup.historyRatio, goalTargets.historyRatio),
    );
  }
  return list;
}

function table(headers: string[], rows: (string | number)[][], align: ('l' | 'r')[]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (align[column] === 'r' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export function render(input: {
  ingest: IngestFigure[];
  cost: WriteCost;
  functions: FunctionFigure[];
  rollup: RollupFigure | undefined;
  latency: LatencyFigure[];
  monthly?: { lines: { item: string; units: string; usdPerMonth: number }[]; totalUsd: number };
  machine: Record<string, unknown>;
  goals: Goal[];
}): string {
  const { ingest, cost, functions, rollup } = input;
  const parts: string[] = [];
  parts.push(
    'INGEST: attendance marks/s, signed webhook (batches of 500) vs BatchWriteItem (25 a call) of the same items, and vs conditional INSERTs (25 a call); medians of alternating rounds',
    table(
      [
        'concurrency',
        'webhook/s',
        'ceiling/s',
        'ratio',
        'cond. ceiling/s',
        'ratio to cond.',
        'webhook rounds',
        'ceiling rounds',
        'cond. rounds',
        '5xx re-sent',
      ],
      ingest.map((figure) => [
        figure.concurrency,
        figure.eventsPerSecond.toFixed(0),
        figure.storageCeilingPerSecond.toFixed(0),
        figure.ratio.toFixed(2),
        figure.conditionalCeilingPerSecond.toFixed(0),
        figure.ratioToConditionalCeiling.toFixed(2),
        figure.rounds.webhook.map((value) => value.toFixed(0)).join(' '),
        figure.rounds.batchWrite.map((value) => value.toFixed(0)).join(' '),
        figure.rounds.conditionalInsert.map((value) => value.toFixed(0)).join(' '),
        figure.retried5xx,
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'l', 'l', 'l', 'r'],
    ),
    '',
    `WRITE COST per mark (${cost.scenario})`,
    table(
      ['write round trips', 'WCU', 'all requests', 'RCU', 'requests by operation'],
      [
        [
          cost.writeRoundTripsPerEvent.toFixed(3),
          cost.wcuPerEvent.toFixed(3),
          cost.requestsPerEvent.toFixed(3),
          cost.rcuPerEvent.toFixed(3),
          Object.entries(cost.requests)
            .map(([name, count]) => `${name} ${count}`)
            .join(', '),
        ],
      ],
      ['r', 'r', 'r', 'r', 'l'],
    ),
    '',
    'FUNCTIONS: bundle as CDK ships it (SDK bundled, minified ESM) and median import time in a fresh Node (--enable-source-maps)',
    table(
      [
        'function',
        'bundle',
        'init ms',
        'clients alone',
        'alone ms',
        '÷ alone',
        'CPU ÷ alone',
        'empty ms',
        'over empty',
        'CPU over empty',
        'no maps ms',
        'SDK external',
        'ext. init ms',
        'largest packages',
      ],
      functions.map((figure) => [
        figure.name,
        kb(figure.bundleBytes),
        figure.initMs.toFixed(1),
        kb(figure.floor.bundleBytes),
        figure.floor.initMs.toFixed(1),
        figure.ratioToFloor.toFixed(2),
        figure.ratioToFloorCpu.toFixed(2),
        figure.baselineInitMs.toFixed(1),
        figure.initOverBaselineMs.toFixed(1),
        figure.initCpuOverBaselineMs.toFixed(1),
        figure.initMsWithoutSourceMaps?.toFixed(1) ?? '',
        kb(figure.bundleBytesSdkExternal),
        figure.initMsSdkExternal.toFixed(1),
        figure.largestPackages
          .slice(0, 3)
          .map((entry) => `${entry.name} ${kb(entry.bytes)}`)
          .join(', '),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    "LATENCY: webhook 200 → the parent's email in the outbox (first-day absence, 25 marks a request); the two hops' p50 / p95",
    table(
      ['in flight', 'emails', 'p50 ms', 'p95 ms', '200 → bus', 'bus → outbox', 'sent → email'],
      input.latency.map((figure) => [
        figure.concurrency,
        `${figure.emails}/${figure.requests}`,
        figure.p50Ms.toFixed(0),
        figure.p95Ms.toFixed(0),
        `${figure.toPublishedP50Ms.toFixed(0)} / ${figure.toPublishedP95Ms.toFixed(0)}`,
        `${figure.publishedToEmailP50Ms.toFixed(0)} / ${figure.publishedToEmailP95Ms.toFixed(0)}`,
        `${figure.sentToEmailP50Ms.toFixed(0)} / ${figure.sentToEmailP95Ms.toFixed(0)}`,
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );
  if (rollup) {
    parts.push(
      `ROLLUP: ${rollup.pupils} pupils, week ${rollup.week} (${rollup.marks} marks + ${rollup.otherEvents} other events), median of ${rollup.runs}`,
      table(
        ['rollup s', 'raw queries s', 'ratio', '30 prior weeks s', 'history ratio', 'cold (fold) s', 'folded weeks'],
        [
          [
            rollup.seconds.toFixed(2),
            rollup.rawQuerySeconds.toFixed(2),
            rollup.ratio.toFixed(2),
            rollup.secondsWith30PriorWeeks.toFixed(2),
            rollup.historyRatio.toFixed(2),
            rollup.coldSeconds.toFixed(2),
            rollup.coldFoldedWeeks,
          ],
        ],
        ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
    );
  }
  if (input.monthly) {
    parts.push(
      'COST: one 1,000-pupil school, term-time month, eu-west-2 (bench/cost.ts states the prices and assumptions)',
      table(
        ['item', 'units', 'USD'],
        [...input.monthly.lines.map((line) => [line.item, line.units, line.usdPerMonth.toFixed(3)]), ['total', '', input.monthly.totalUsd.toFixed(2)]],
        ['l', 'r', 'r'],
      ),
      '',
    );
  }
  parts.push(
    'GOALS (reported, never enforced)',
    table(
      ['goal', 'target', 'measured', ''],
      input.goals.map((goal) => [goal.goal, goal.target, goal.measured, goal.met ? 'met' : 'MISSED']),
      ['l', 'l', 'r', 'l'],
    ),
    '',
    `machine: ${Object.entries(input.machine)
      .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join('/') : value}`)
      .join(', ')}`,
  );
  return parts.join('\n');
}
