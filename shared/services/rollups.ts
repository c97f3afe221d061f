import { rollupSource, type RollupCompletedDetail, type RollupRequestedDetail } from '../../events/bus';
import { trustSummaryDeadlinePassed } from '../../events/schedule';
import { dateInZone, isIsoWeek, previousWeek, weekEnd, weekJustEnded } from '../domain/calendar';
import { refoldStart } from '../domain/changed-weeks';
import { changedFigures } from '../domain/rollup/revisions';
import { rebuildLookbackWeeks, rollWeek, weeksBefore, weeksToFold } from '../domain/rollup/roll-week';
import type { RollupFigures } from '../domain/rollup/types';
import { renderSchoolSummary } from '../domain/summary-email/school-summary';
import { renderTrustSummary } from '../domain/summary-email/trust-summary';
import { logger } from '../logger';
import { PermanentMailError, type Ports, type SchoolProfile } from '../ports';

/**
 * The weekly rollup of one school, and the trust summary once every school is rolled up.
 *
 * Week W = the state stored with week W−1 + week W's records (Queries of W's partitions
 * only), so a rollup costs the same in week 40 as in week 2. When W−1 has no stored state
 * (the first week, or a gap), the missing weeks are folded from their own records first,
 * starting from the newest state of the past year or else from the academic year's first
 * week: bounded, never all history. docs/rollups.md has the details.
 */

/** What a school's rollup uses. */
export type SchoolRollupDeps = Pick<Ports, 'schools' | 'publisher' | 'mailer' | 'clock' | 'settings' | 'rollups'>;
/** What the trust summary uses: no bus (it publishes nothing). */
export type TrustSummaryDeps = Pick<Ports, 'schools' | 'mailer' | 'clock' | 'settings' | 'rollups'>;

export class RollupError extends Error {
  override name = 'RollupError';
}

/** How many weeks are read at once while folding a gap (memory stays at a few weeks of marks). */
const foldWindow = 4;

export type EmailOutcome = 'sent' | 'already-sent' | 'not-requested' | 'week-not-ended' | 'no-leaders' | 'rejected';

export async function runSchoolRollup(
  deps: SchoolRollupDeps,
  request: RollupRequestedDetail,
): Promise<{ figures: RollupFigures; email: EmailOutcome; foldedWeeks: number; revisedWeeks: string[] }> {
  const { schoolId, week } = request;
  if (!isIsoWeek(week)) throw new RollupError(`not an ISO week (YYYY-Www): ${week}`);
  const school = await deps.schools.get(schoolId);
  if (!school) throw new RollupError(`no school with id ${schoolId}`);
  const { rollups: store } = deps;

  // The base: last week's state, or the newest within a year, or nothing; but never a state
  // from after a week that received records since it ended: re-fold from the oldest such.
  const lastWeek = previousWeek(week);
  const floor = weeksBefore(week, rebuildLookbackWeeks);
  const changed = await store.changedWeeks(schoolId, week);
  const refoldFrom = refoldStart(week, changed, floor);
  let state = await store.latestState(schoolId, floor, refoldFrom ? previousWeek(refoldFrom) : lastWeek);
  const fold = weeksToFold(week, state?.week);
  // Re-folded weeks that were rolled up before are stored again (no email), and compared.
  const before = refoldFrom && fold.length > 0 ? await store.storedFigures(schoolId, fold[0]!, lastWeek) : {};
  const now = deps.clock.now();
  const runAt = now.toISOString();
  const revisedWeeks: string[] = [];
  for (let index = 0; index < fold.length; index += foldWindow) {
    const weeks = fold.slice(index, index + foldWindow);
    const records = await Promise.all(weeks.map((gapWeek) => store.readWeek(schoolId, gapWeek, { full: gapWeek === lastWeek || gapWeek in before })));
    for (const [offset, gapWeek] of weeks.entries()) {
      const rolled = rollWeek({ schoolId, week: gapWeek, base: state, records: records[offset]! });
      state = rolled.state;
      const stored = before[gapWeek];
      if (!stored) continue;
      await store.save({ schoolId, week: gapWeek, figures: rolled.figures, state: rolled.state, runAt, foldedWeeks: 0 });
      if (changedFigures(stored, rolled.figures).length > 0) revisedWeeks.push(gapWeek);
    }
  }
  if (fold.length > 0)
    logger.info('rollup folded earlier weeks', {
      schoolId,
      week,
      from: fold[0],
      to: fold.at(-1),
      weeks: fold.length,
      changedWeeks: changed.length,
      revised: revisedWeeks.length,
    });

  const { figures, state: next } = rollWeek({ schoolId, week, base: state, records: await store.readWeek(schoolId, week, { full: true }) });
  await store.save({ schoolId, week, figures, state: next, runAt, foldedWeeks: fold.length, revisedWeeks });
  // Only after the folded figures are stored: a week marked meanwhile keeps its marker.
  if (changed.length > 0) await store.clearChangedWeeks(schoolId, changed);

  // A week that has not ended (a mid-week `tracker rollup`) shows the figures so far: no
  // email, and no rollup.completed, so Monday's email and the trust summary still go out.
  const ended = weekEnd(week) < dateInZone(now, school.timezone);
  const email = !ended ? 'week-not-ended' : request.sendEmail === false ? 'not-requested' : await emailLeaders(deps, school, figures, revisedWeeks);
  if (ended) {
    await deps.publisher.publish([{ source: rollupSource, detailType: 'rollup.completed', detail: { schoolId, week } satisfies RollupCompletedDetail }]);
  }
  logger.info('rollup stored', {
    schoolId,
    week,
    email,
    foldedWeeks: fold.length,
    possibleSessions: figures.attendance.possibleSessions,
    persistentAbsentees: figures.attendance.persistentAbsentees.length,
    pupilsToLookAt: figures.pupilsToLookAt.length,
  });
  return { figures, email, foldedWeeks: fold.length, revisedWeeks };
}

async function emailLeaders(deps: SchoolRollupDeps, school: SchoolProfile, figures: RollupFigures, revisedWeeks: string[]): Promise<EmailOutcome> {
  const { rollups: store } = deps;
  const { schoolId, week } = figures;
  if (school.leaders.length === 0) {
    logger.warn('rollup email skipped: the school has no leaders', { schoolId, week });
    return 'no-leaders';
  }
  if (!(await store.claimEmail(schoolId, week, deps.clock.now()))) return 'already-sent';
  let sent: { messageId: string } | undefined;
  try {
    const named = [...figures.pupilsToLookAt, ...(figures.restrictive?.repeatPupils ?? [])].map((pupil) => pupil.pupilId);
    const pupils = await store.pupilNames(schoolId, named);
    const email = renderSchoolSummary({
      schoolName: school.name,
      trustName: deps.settings.trustName,
      timezone: school.timezone,
      figures,
      pupils,
      revisedWeeks,
    });
    sent = await deps.mailer.send({ to: school.leaders, subject: email.subject, text: email.text, html: email.html, category: 'leader-summary' });
  } catch (error) {
    if (error instanceof PermanentMailError) {
      // Retrying won't help (bad address, suppression list): keep the claim, record why.
      logger.error('rollup email rejected', { schoolId, week, errorName: error.name });
      await store.markEmailFailed(schoolId, week, { errorName: error.name, failedAt: deps.clock.now().toISOString() });
      return 'rejected';
    }
    // Nothing went out: free the claim so the bus's retry (or a re-run) sends it.
    await store.releaseEmail(schoolId, week).catch(() => undefined);
    throw error;
  }
  await store.markEmailSent(schoolId, week, { messageId: sent.messageId, sentAt: deps.clock.now().toISOString(), recipients: school.leaders.length });
  return 'sent';
}

export type TrustSummaryOutcome =
  | { status: 'sent'; schools: number; missing?: string[] }
  | { status: 'waiting'; missing: string[] }
  | { status: 'already-sent' | 'no-trust-leaders' | 'no-schools' | 'rejected' };

/**
 * On each rollup.completed: once every school has its rollup of the week, one email, once.
 * At the deadline (`atDeadline`), it goes without the schools still missing, naming them,
 * unless a missing school's own deadline (in its timezone) is still to come.
 */
export async function runTrustSummary(deps: TrustSummaryDeps, week: string, options: { atDeadline?: boolean } = {}): Promise<TrustSummaryOutcome> {
  const { rollups: store } = deps;
  const [schools, rollups] = await Promise.all([deps.schools.list(), store.weekRollups(week)]);
  if (schools.length === 0) return { status: 'no-schools' };
  const byId = new Map(rollups.map((rollup) => [rollup.schoolId, rollup.figures]));
  const missingSchools = schools.filter((school) => !byId.has(school.schoolId));
  const missing = missingSchools.map((school) => school.schoolId);
  const now = deps.clock.now();
  const pastDeadline =
    options.atDeadline === true &&
    missingSchools.every((school) => trustSummaryDeadlinePassed(now, school.timezone, week, weekJustEnded(now, school.timezone)));
  if (missing.length > 0 && !pastDeadline) {
    logger.info('trust summary waiting for schools', { week, missing: missing.length, of: schools.length });
    return { status: 'waiting', missing };
  }
  if (missing.length > 0) logger.warn('trust summary deadline: sending without schools that have no rollup', { week, missing });
  if (deps.settings.trustLeaders.length === 0) {
    logger.info('trust summary skipped: no trust leaders are configured (TRUST_LEADERS)', { week, schools: schools.length });
    return { status: 'no-trust-leaders' };
  }
  if (!(await store.claimTrustSummary(week, deps.clock.now()))) return { status: 'already-sent' };
  let sent: { messageId: string } | undefined;
  try {
    const email = renderTrustSummary({
      trustName: deps.settings.trustName,
      week,
      schools: schools.filter((school) => byId.has(school.schoolId)).map((school) => ({ name: school.name, figures: byId.get(school.schoolId)! })),
      missing: missingSchools.map((school) => school.name),
    });
    sent = await deps.mailer.send({ to: deps.settings.trustLeaders, subject: email.subject, text: email.text, html: email.html, category: 'trust-summary' });
  } catch (error) {
    if (error instanceof PermanentMailError) {
      // Retrying won't help: keep the claim and record why, so no later run sends it.
      logger.error('trust summary rejected', { week, errorName: error.name });
      await store.markTrustSummaryFailed(week, { errorName: error.name, failedAt: deps.clock.now().toISOString() });
      return { status: 'rejected' };
    }
    await store.releaseTrustSummary(week).catch(() => undefined);
    throw error;
  }
  await store.markTrustSummarySent(week, { messageId: sent.messageId, sentAt: deps.clock.now().toISOString(), schools: schools.length });
  logger.info('trust summary sent', { week, schools: schools.length, recipients: deps.settings.trustLeaders.length });
  return { status: 'sent', schools: schools.length - missing.length, ...(missing.length ? { missing } : {}) };
}
