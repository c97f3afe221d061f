import { performance } from 'node:perf_hooks';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../infra/local/stack';
import type { TableRef } from '../shared/adapters/aws/dynamodb';
import { weekItems } from '../shared/adapters/aws/stored-events';
import { isoWeekOf, weekStart, addDays } from '../shared/domain/calendar';
import { rollupKey, rollupStateKey } from '../shared/domain/keys';
import { addSchool } from '../shared/services/schools';
import { batchWrite } from './batch-write';
import { itemsOf, planOf, pupilsOf, rosterEvents, weekEvents, type BenchPupil } from './data';
import { batchSize, chunk, postAll } from './ingest';
import { itemSizeBytes, type Meter } from './meter';

export interface RollupFigure {
  pupils: number;
  /** Events of the rolled-up week (marks + others). */
  events: number;
  marks: number;
  otherEvents: number;
  week: string;
  /** Median rollup time, school with 1 prior week stored (and rolled up). */
  seconds: number;
  /** Median time of plain Queries reading the week's items (attendance partition + week index). */
  rawQuerySeconds: number;
  ratio: number;
  /** Median rollup time, school with 30 prior weeks stored (and rolled up). */
  secondsWith30PriorWeeks: number;
  historyRatio: number;
  /** Items the raw Queries returned (marks, week-index entries). */
  rawQueryItems: number;
  /** Rolling up W−1 of the 30-week school with no state stored yet: it folds every week since September. */
  coldSeconds: number;
  coldFoldedWeeks: number;
  runs: number;
  /** Every timed run (s), in the order run, for the spread. */
  rounds: { oneWeek: number[]; thirtyWeeks: number[]; rawQueries: number[] };
  /** Size (AWS rules) of what a rollup stores for the 30-week school: the carried state item and the figures item. */
  stateItemBytes: number;
  figuresItemBytes: number;
  /** DynamoDB cost of week W's other events through the webhook, derived records (notifications) included. */
  otherEventCost: { events: number; writeRequestsPerEvent: number; wcuPerEvent: number; rcuPerEvent: number; requests: Record<string, number> };
  /** DynamoDB cost of one warm rollup of the 30-week school (no email). */
  rollupCost: { requests: Record<string, number>; rcu: number; wcu: number };
  seeding: string;
  seedSeconds: number;
  implementation: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const round2 = (value: number) => Number(value.toFixed(2));

const timed = async <T>(work: () => Promise<T>): Promise<{ seconds: number; value: T }> => {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
};

/** The rollup as the schedule's fan-out asks for it (no email, so only the rollup is timed). */
function invokeRollup(stack: LocalStack, schoolId: string, week: string) {
  return stack.invoke('rollup-school', {
    source: 'tracker.rollups',
    'detail-type': 'rollup.requested',
    detail: { schoolId, week, sendEmail: false },
  }) as Promise<Record<string, unknown> | undefined>;
}

/** The least a rollup must do: read the week's marks and the week's journal entries, nothing else. */
async function rawWeekQueries(ref: TableRef, schoolId: string, week: string): Promise<number> {
  return (await weekItems(ref, schoolId, week)).length;
}

/** Prior weeks stored with their other events too (older ones hold marks only). */
const recentWeeksWithOtherEvents = 1;

export interface RollupOptions {
  pupils: number;
  priorWeeks: number;
  runs: number;
  meter: Meter;
  progress: (line: string) => void;
}

/**
 * Two schools with the same roll and the same week W of data: one with W−1 stored as well,
 * one with 30 prior weeks. The week W itself and the rosters go through the signed webhook
 * (as an MIS sends them); the prior weeks are written as the very items the webhook would
 * have stored (planWrite), with BatchWriteItem, to keep the seeding within minutes.
 */
export async function measureRollup(stack: LocalStack, options: RollupOptions): Promise<RollupFigure> {
  // Week W late in an academic year, so 30 prior weeks all count towards year-to-date figures.
  const week = '2026-W14';
  const weekBefore = (weeks: number) => isoWeekOf(addDays(weekStart(week), -7 * weeks));
  const schools = { one: 'bench-history-1', thirty: 'bench-history-30' };
  const pupils = pupilsOf('bench', options.pupils, 42);
  const pupilsOfSchool = (schoolId: string): BenchPupil[] =>
    pupils.map((pupil) => ({ ...pupil, pupilId: pupil.pupilId.replace(/^BENC/, schoolId === schools.one ? 'ONE' : 'THR') }));

  const seedStarted = performance.now();
  let marks = 0;
  let others = 0;
  let otherEventCost: RollupFigure['otherEventCost'] | undefined;
  for (const [label, schoolId, prior] of [
    ['1', schools.one, 1],
    ['30', schools.thirty, options.priorWeeks],
  ] as const) {
    const { webhookSecret } = await addSchool({ schoolId, name: `Bench ${label}`, leaders: [`head@${schoolId}.example.org`] }, stack.adapters);
    const roll = pupilsOfSchool(schoolId);
    await postAll(
      stack,
      schoolId,
      webhookSecret,
      chunk(rosterEvents(schoolId, roll, `${addDays(weekStart(weekBefore(prior)), -1)}T06:00:00+00:00`, 5), batchSize),
      4,
    );
    // Prior weeks: the stored items, written directly.
    const receivedAt = new Date();
    const school = { schoolId, timezone: 'Europe/London' };
    for (let back = prior; back >= 1; back--) {
      const data = weekEvents(schoolId, roll, weekBefore(back), 1000 + back);
      // Other events only for the last weeks: each one fans out to notifications (emails to the
      // outbox), which would double the seeding time; no warm rollup reads an older week anyway.
      const events = back <= recentWeeksWithOtherEvents ? [...data.marks, ...data.others] : data.marks;
      const items = events.flatMap((event) => itemsOf(planOf(event, school, receivedAt)));
      await batchWrite(stack.adapters.table, items, 8);
      if (back % 5 === 0 || back === 1) options.progress(`  school ${label}: prior weeks stored down to ${weekBefore(back)}`);
    }
    // Week W: through the signed webhook, four requests in flight; the other events metered on their own.
    const data = weekEvents(schoolId, roll, week, 7);
    marks = data.marks.length;
    others = data.others.length;
    await postAll(stack, schoolId, webhookSecret, chunk(data.marks, batchSize), 4);
    await stack.flush();
    options.meter.reset();
    await postAll(stack, schoolId, webhookSecret, chunk(data.others, batchSize), 4);
    await stack.flush();
    if (label === '1') {
      const counts = options.meter.snapshot();
      otherEventCost = {
        events: others,
        writeRequestsPerEvent: counts.writeRequests / others,
        wcuPerEvent: (counts.wcu + counts.failedConditionalWrites) / others,
        rcuPerEvent: counts.rcu / others,
        requests: counts.requests,
      };
    }
    options.progress(`  school ${label}: week ${week} posted (${marks} marks, ${others} other events)`);
  }
  const settle = await timed(() => stack.flush());
  options.progress(`  stream and bus settled in ${settle.seconds.toFixed(1)} s`);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  // Cold: nothing rolled up yet, so rolling up W−1 first folds every week since September from
  // its records (the first deployment mid-year, or a gap). It leaves W−1's state stored: from
  // then on W is the steady state the schedule keeps, one week read on top of last week's state.
  await invokeRollup(stack, schools.one, weekBefore(1));
  const cold = await timed(() => invokeRollup(stack, schools.thirty, weekBefore(1)));
  const { Item: coldRollup } = await stack.adapters.table.client.send(
    new GetCommand({ TableName: stack.adapters.table.tableName, Key: rollupKey(schools.thirty, weekBefore(1)) }),
  );
  const coldFoldedWeeks = Number(coldRollup?.foldedWeeks ?? Number.NaN);
  options.progress(
    `  cold rollup of ${weekBefore(1)} (no state stored yet, ${coldFoldedWeeks} weeks folded) for the 30-week school: ${cold.seconds.toFixed(2)} s`,
  );
  await stack.flush();

  const samples = { one: [] as number[], thirty: [] as number[], raw: [] as number[] };
  let rawQueryItems = 0;
  let rollupCost: RollupFigure['rollupCost'] | undefined;
  // Interleaved, and in alternating order, so a busy moment on the machine lands on all three alike.
  const measure = {
    one: async () => samples.one.push((await timed(() => invokeRollup(stack, schools.one, week))).seconds),
    thirty: async () => {
      options.meter.reset();
      samples.thirty.push((await timed(() => invokeRollup(stack, schools.thirty, week))).seconds);
      const counts = options.meter.snapshot();
      rollupCost = { requests: counts.requests, rcu: counts.rcu, wcu: counts.wcu + counts.failedConditionalWrites };
    },
    raw: async () => {
      const raw = await timed(() => rawWeekQueries(stack.adapters.table, schools.one, week));
      rawQueryItems = raw.value;
      samples.raw.push(raw.seconds);
    },
  };
  for (let run = 0; run < options.runs; run++) {
    const order = run % 2 === 0 ? (['one', 'thirty', 'raw'] as const) : (['raw', 'thirty', 'one'] as const);
    for (const which of order) {
      await measure[which]();
      await stack.flush();
    }
    options.progress(
      `  run ${run + 1}/${options.runs}: rollup ${samples.one.at(-1)!.toFixed(2)} s (1 prior week), ${samples.thirty.at(-1)!.toFixed(2)} s (30), raw queries ${samples.raw.at(-1)!.toFixed(2)} s`,
    );
  }
  const sizeOf = async (key: Record<string, string>) => {
    const { Item } = await stack.adapters.table.client.send(new GetCommand({ TableName: stack.adapters.table.tableName, Key: key }));
    return Item ? itemSizeBytes(Item) : 0;
  };
  const stateItemBytes = await sizeOf(rollupStateKey(schools.thirty, week));
  const figuresItemBytes = await sizeOf(rollupKey(schools.thirty, week));
  const seconds = median(samples.one);
  const rawQuerySeconds = median(samples.raw);
  const secondsWith30PriorWeeks = median(samples.thirty);
  return {
    pupils: options.pupils,
    events: marks + others,
    marks,
    otherEvents: others,
    week,
    seconds,
    rawQuerySeconds,
    ratio: seconds / rawQuerySeconds,
    secondsWith30PriorWeeks,
    historyRatio: secondsWith30PriorWeeks / seconds,
    rawQueryItems,
    coldSeconds: cold.seconds,
    coldFoldedWeeks,
    runs: options.runs,
    rounds: { oneWeek: samples.one.map(round2), thirtyWeeks: samples.thirty.map(round2), rawQueries: samples.raw.map(round2) },
    stateItemBytes,
    figuresItemBytes,
    otherEventCost: otherEventCost!,
    rollupCost: rollupCost!,
    seeding: `rosters and week W through the signed webhook (batches of 500, 4 in flight); prior weeks as the items planWrite makes, by BatchWriteItem: marks for every prior week, other events for the last ${recentWeeksWithOtherEvents}`,
    seedSeconds,
    implementation: '',
  };
}
