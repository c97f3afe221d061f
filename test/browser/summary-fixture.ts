import { addDays, weekStart } from '../../shared/domain/calendar';
import { rollWeek } from '../../shared/domain/rollup/roll-week';
import type { JournalRecord, MarkRecord, RollupFigures, RollupState, WeekRecords } from '../../shared/domain/rollup/types';
import type { ListedPupil } from '../../shared/domain/summary-email/school-summary';
import { firstNames, incidentCategories, lastNames as sharedLastNames, random } from '../../bench/synthetic';

/**
 * A realistic school-week for rendering: 180 pupils over a half term, built through the real
 * fold (rollWeek), so the email shows figures the system could really produce. Seeded.
 */
// A long double-barrelled surname checks the layout on a phone.
const lastNames = [...sharedLastNames, 'Fitzgerald-Montgomery'];

export function fixture(options: { seed?: number; pupils?: number; schoolId?: string; schoolName?: string } = {}): {
  figures: RollupFigures;
  pupils: Record<string, ListedPupil>;
  schoolName: string;
} {
  const rand = random(options.seed ?? 47);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const pupils: Record<string, ListedPupil> = {};
  const profile = Array.from({ length: options.pupils ?? 180 }, (_, index) => {
    const pupilId = `RIV${1000 + index}`;
    pupils[pupilId] = { firstName: pick(firstNames), lastName: pick(lastNames), yearGroup: pick(['7', '8', '9', '10', '11']) };
    const roll = rand();
    return { pupilId, absence: roll < 0.03 ? 0.55 : roll < 0.15 ? 0.15 : 0.03, risk: rand() < 0.1 ? 0.25 : 0.02 };
  });
  // v2: SEN status, restrictive interventions and SDQs come from their own seeded stream, so
  // the v1 figures (and their screenshots) stay as they were.
  const v2 = random((options.seed ?? 47) + 1003);
  const senByPupil: Record<string, string> = Object.fromEntries(
    profile.map((pupil) => [pupil.pupilId, pupil.risk > 0.1 && v2() < 0.5 ? 'support' : v2() < 0.04 ? 'ehcp' : 'none']),
  );
  const kinds = ['mentoring', 'anger_management', 'emotional_literacy', 'semh_group'] as const;
  const baseline = new Map<string, number>();

  const weeks = ['2026-W41', '2026-W42', '2026-W43', '2026-W45', '2026-W46', '2026-W47'];
  let state: RollupState | undefined;
  let figures: RollupFigures | undefined;
  let eventNumber = 0;
  for (let w = 36; w <= 47; w++) {
    const week = `2026-W${w}`;
    const records: WeekRecords = { marks: [], interventions: [], restorative: [], incidents: [], notifications: [], restrictive: [], measures: [], senByPupil };
    const teaching = weeks.includes(week) || w < 41;
    for (let day = 0; day < 5 && teaching; day++) {
      const date = addDays(weekStart(week), day);
      if (date < '2026-09-02') continue;
      for (const pupil of profile) {
        for (const session of ['AM', 'PM']) {
          const absent = rand() < (w === 47 && pupil.pupilId === 'RIV1003' ? 0.6 : pupil.absence);
          const code = absent ? pick(['I', 'I', 'M', 'C', 'O', 'N', 'G', 'U']) : rand() < 0.03 ? 'L' : rand() < 0.01 ? 'K' : rand() < 0.003 ? 'D' : '/';
          records.marks.push({ pupilId: pupil.pupilId, date, session, code } satisfies MarkRecord);
        }
        if (rand() < pupil.risk / 3) {
          const id = `e${++eventNumber}`;
          const severity = 1 + Math.floor(rand() * 4);
          records.incidents.push(
            journal(id, 'incident.recorded', date, [pupil.pupilId], {
              incidentId: id,
              category: pick(incidentCategories),
              severity,
              ...(severity === 4 && rand() < 0.4 ? { physicalIntervention: { used: true, injury: false } } : {}),
              notes: 'staff only',
            }),
          );
          // Rare, and only after de-escalation failed in a serious incident.
          if (severity >= 3 && pupil.risk > 0.1 && v2() < 0.35) records.restrictive!.push(restrictiveRecord(`ri${id}`, date, pupil.pupilId, v2));
          if (rand() < 0.5) {
            records.restorative.push(
              journal(`r${id}`, 'restorative.session.recorded', date, [pupil.pupilId], {
                sessionId: `RS${id}`,
                date,
                format: pick(['conversation', 'mini_conference', 'circle', 'conference']),
                participants: [{ pupilId: pupil.pupilId, role: 'responsible' }],
                agreementReached: rand() < 0.8,
                followUpDate: addDays(date, 7 + Math.floor(rand() * 4)),
              }),
            );
          }
        }
      }
      for (const pupil of profile.filter((candidate) => candidate.risk > 0.1 && candidate.pupilId < 'RIV1060').slice(0, 12)) {
        const interventionId = `INT-${pupil.pupilId}`;
        if (week === '2026-W38' && day === 0) {
          const kind = kinds[Number(pupil.pupilId.slice(3)) % kinds.length];
          const total = 14 + Math.floor(v2() * 9);
          baseline.set(pupil.pupilId, total);
          records.measures!.push(sdqRecord(`m0${interventionId}`, date, pupil.pupilId, total));
          records.interventions.push(
            journal(`s${interventionId}`, 'intervention.started', date, [pupil.pupilId], {
              interventionId,
              kind,
              title: 'Mentoring',
              staffId: 'S1',
              startDate: date,
              plannedSessions: 8,
              targets: [
                { targetId: 'T1', area: 'behavioural', description: 'x', baseline: 3, goal: 8 },
                { targetId: 'T2', area: 'social', description: 'y', baseline: 4, goal: 7 },
              ],
            }),
          );
        }
        if (w > 38 && day === 2) {
          const attended = rand() < 0.85;
          records.interventions.push(
            journal(`x${interventionId}${week}`, 'intervention.session.recorded', date, [pupil.pupilId], {
              interventionId,
              sessionId: `S${w}`,
              date,
              durationMinutes: 30,
              attended,
              ...(attended
                ? {
                    engagement: 2 + Math.floor(rand() * 4),
                    targetScores: [
                      { targetId: 'T1', score: Math.min(10, 3 + Math.floor((w - 38) * rand())) },
                      { targetId: 'T2', score: 4 + Math.floor(rand() * 3) },
                    ],
                  }
                : {}),
            }),
          );
        }
        if (week === '2026-W47' && day === 4 && rand() < 0.3) {
          records.interventions.push(
            journal(`end${interventionId}`, 'intervention.ended', date, [pupil.pupilId], {
              interventionId,
              endDate: date,
              outcome: pick(['achieved', 'partially_achieved', 'not_achieved']),
            }),
          );
        }
        // The SDQ again at the end of term, for every pupil in the programme (before the ends are known).
        if (week === '2026-W47' && day === 4) {
          const before = baseline.get(pupil.pupilId) ?? 16;
          records.measures!.push(sdqRecord(`m1${interventionId}`, date, pupil.pupilId, Math.max(0, before - 3 + Math.floor(v2() * 9) - 3)));
        }
      }
    }
    if (w >= 46) {
      const statuses = [...Array(w === 47 ? 41 : 35).fill('sent'), ...Array(9).fill('suppressed')];
      records.notifications = statuses.map((status, index) => ({
        status,
        ...(status === 'suppressed'
          ? { reason: pick(['no-email', 'opted-out:detention', 'not-notifiable', 'safeguarding', 'no-parental-responsibility']) }
          : {}),
        kind: index % 3 ? 'detention' : 'force',
      }));
    }
    ({ figures, state } = rollWeek({ schoolId: options.schoolId ?? 'riverside-academy', week, base: state, records }));
  }
  return { figures: figures!, pupils, schoolName: options.schoolName ?? 'Riverside Academy' };
}

/** Scale scores adding up to `total` (emotional, conduct, hyperactivity, peer; 0..10 each). */
function sdqRecord(eventId: string, date: string, pupilId: string, total: number): JournalRecord {
  const scales = [0, 0, 0, 0];
  for (let left = Math.min(40, total), index = 0; left > 0; index = (index + 1) % 4) {
    if (scales[index]! < 10) {
      scales[index]!++;
      left--;
    }
  }
  const [emotional, conduct, hyperactivity, peer] = scales;
  return journal(eventId, 'outcome.measure.recorded', date, [pupilId], {
    measureId: eventId,
    instrument: 'sdq_teacher',
    date,
    scores: { emotional, conduct, hyperactivity, peer, prosocial: 6 },
  });
}

function restrictiveRecord(eventId: string, date: string, pupilId: string, rand: () => number): JournalRecord {
  const roll = rand();
  return journal(eventId, 'restrictive.intervention.recorded', date, [pupilId], {
    recordId: eventId,
    types: roll < 0.6 ? ['reasonable_force'] : roll < 0.9 ? ['restraint'] : ['restraint', 'seclusion'],
    startedAt: `${date}T11:00:00Z`,
    durationMinutes: 2 + Math.floor(rand() * 10),
    location: 'Corridor',
    staffIds: ['S1'],
    antecedents: 'x',
    deEscalation: 'y',
    reason: 'z',
    injuries: { pupil: rand() < 0.1, staff: rand() < 0.1 },
    parentReport: 'send',
  });
}

function journal(eventId: string, type: string, date: string, pupilIds: string[], data: Record<string, unknown>): JournalRecord {
  return { eventId, type, date, occurredAtUtc: `${date}T10:00:00.000Z`, pupilIds, data };
}
