import { parseEvent } from '../events/catalogue';
import { addDays, dateInZone, isoWeekOf, weekStart } from '../shared/domain/calendar';
import type { IncidentVersion } from '../shared/domain/incident-versions';
import { planWrite } from '../shared/domain/records';
import { changedFigures } from '../shared/domain/rollup/revisions';
import { rollWeek } from '../shared/domain/rollup/roll-week';
import type { JournalRecord, MarkRecord, RollupFigures, RollupState, WeekRecords } from '../shared/domain/rollup/types';
import { schools, termOf } from './demo';

/**
 * Issue 11's measurement: in the demo term (with its late register amendments and re-sent
 * incidents), how many stored weekly figures change once corrections are folded in properly.
 *
 * "Before" replays what each Monday's rollup stored without re-folding: week W from W−1's
 * stored state and what had arrived by Monday 06:00 UTC (an event arrives at its occurredAt),
 * incidents filed by occurredAt (happenedAt unknown). "After" is one rollup chain over the
 * final data, which is what the re-fold stores (test/unit/rollup-corrections.test.ts).
 * Figures are leaf values of the stored figures (a list such as persistentAbsentees is one),
 * not counting `previousWeek`, which repeats last week's. Pure: no stack needed.
 *
 *   npx tsx bench/corrections.ts
 */
const termStart = '2026-09-02';
const lastDay = '2026-12-18';
const timezone = 'Europe/London';

interface Arrived<T> {
  arrivesAt: string;
  week: string;
  record: T;
}

function recordsOf(schoolId: string) {
  const marks: (Arrived<MarkRecord> & { key: string; occurredAtUtc: string })[] = [];
  const journal: (Arrived<JournalRecord> & { occurredWeek: string; version?: IncidentVersion })[] = [];
  for (const raw of termOf(schools.find((school) => school.schoolId === schoolId)!, termStart, lastDay)) {
    const parsed = parseEvent(raw);
    if (!parsed.ok) throw new Error(`demo event ${String(raw.eventId)} is invalid`);
    const plan = planWrite(parsed.event, { schoolId, timezone }, new Date());
    if (plan.kind === 'mark') {
      type MarkItem = MarkRecord & { week: string; occurredAtUtc: string };
      const { pupilId, date, session, code, minutesLate, week, occurredAtUtc } = plan.mark.attributes as unknown as MarkItem;
      marks.push({
        key: plan.mark.key.sk,
        week,
        occurredAtUtc,
        arrivesAt: occurredAtUtc,
        record: { pupilId, date, session, code, ...(minutesLate !== undefined ? { minutesLate } : {}) },
      });
      continue;
    }
    const item = plan.journal as Record<string, unknown>;
    if (item.type === 'pupil.upserted') continue;
    const record: JournalRecord = {
      eventId: String(item.eventId),
      type: String(item.type),
      date: String(item.date),
      occurredAtUtc: String(item.occurredAtUtc),
      pupilIds: item.pupilIds as string[],
      data: item.data as Record<string, unknown>,
    };
    const occurredWeek = isoWeekOf(dateInZone(new Date(record.occurredAtUtc), timezone));
    journal.push({
      week: String(item.week),
      occurredWeek,
      arrivesAt: record.occurredAtUtc,
      record,
      ...(plan.incidentVersion ? { version: plan.incidentVersion as unknown as IncidentVersion } : {}),
    });
  }
  return { marks, journal };
}

/** The table as it stood at `cutoff`: the latest arrived mark per key, every arrived journal item. */
function weekRecords(data: ReturnType<typeof recordsOf>, week: string, cutoff: string, filing: 'happened' | 'occurred'): WeekRecords {
  const latest = new Map<string, (typeof data.marks)[number]>();
  for (const mark of data.marks) {
    if (mark.week !== week || mark.arrivesAt >= cutoff) continue;
    const stored = latest.get(mark.key);
    if (!stored || stored.occurredAtUtc < mark.occurredAtUtc) latest.set(mark.key, mark);
  }
  const journal = data.journal.filter(
    (entry) => entry.arrivesAt < cutoff && (entry.record.type === 'incident.recorded' && filing === 'occurred' ? entry.occurredWeek : entry.week) === week,
  );
  const incidents = journal.filter((entry) => entry.record.type === 'incident.recorded');
  const versions: Record<string, IncidentVersion[]> = {};
  if (filing === 'happened') {
    for (const entry of data.journal) if (entry.version && entry.arrivesAt < cutoff) (versions[entry.version.incidentId] ??= []).push(entry.version);
  }
  return {
    marks: [...latest.values()].map((mark) => mark.record),
    interventions: journal.filter((entry) => entry.record.type.startsWith('intervention.')).map((entry) => entry.record),
    restorative: journal.filter((entry) => entry.record.type === 'restorative.session.recorded').map((entry) => entry.record),
    incidents: incidents.map((entry) => entry.record),
    restrictive: journal.filter((entry) => entry.record.type === 'restrictive.intervention.recorded').map((entry) => entry.record),
    measures: journal.filter((entry) => entry.record.type === 'outcome.measure.recorded').map((entry) => entry.record),
    ...(filing === 'happened' ? { incidentVersions: versions } : {}),
    notifications: [],
  };
}

function chain(schoolId: string, weeks: string[], recordsFor: (week: string) => WeekRecords): Map<string, RollupFigures> {
  const figures = new Map<string, RollupFigures>();
  let state: RollupState | undefined;
  for (const week of weeks) {
    const rolled = rollWeek({ schoolId, week, base: state, records: recordsFor(week) });
    figures.set(week, rolled.figures);
    state = JSON.parse(JSON.stringify(rolled.state)) as RollupState;
  }
  return figures;
}

const weeks: string[] = [];
for (let date = termStart; date <= lastDay; date = addDays(date, 7)) weeks.push(isoWeekOf(date));
const mondayAfter = (week: string) => `${addDays(weekStart(week), 7)}T06:00:00.000Z`;

let total = 0;
for (const { schoolId } of schools) {
  const data = recordsOf(schoolId);
  const before = chain(schoolId, weeks, (week) => weekRecords(data, week, mondayAfter(week), 'occurred'));
  const after = chain(schoolId, weeks, (week) => weekRecords(data, week, '9999', 'happened'));
  const bySection: Record<string, number> = {};
  const changedWeeks: string[] = [];
  for (const week of weeks) {
    const paths = changedFigures(before.get(week), after.get(week)).filter((path) => !path.startsWith('previousWeek'));
    if (paths.length) changedWeeks.push(week);
    for (const path of paths) bySection[path.split('.')[0]!] = (bySection[path.split('.')[0]!] ?? 0) + 1;
    total += paths.length;
  }
  const count = Object.values(bySection).reduce((sum, n) => sum + n, 0);
  const amended = data.marks.filter((mark) => mark.arrivesAt > `${mark.record.date}T23:59`).length;
  const resent = data.journal.filter((entry) => entry.record.eventId.endsWith(':v2')).length;
  console.log(
    `${schoolId}: ${amended} register amendments and ${resent} re-sent incidents arrived after their day; ${count} figures changed in ${changedWeeks.length} of ${weeks.length} weeks (${Object.entries(
      bySection,
    )
      .map(([section, n]) => `${section} ${n}`)
      .join(', ')})`,
  );
}
console.log(`Demo term ${termStart} → ${lastDay}: ${total} stored figures changed once corrections were folded in.`);
