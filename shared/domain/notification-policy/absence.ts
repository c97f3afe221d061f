import { attendanceCategories, firstDayAbsenceCodes } from '../../../events/attendance-codes';
import { absenceCorrectionDedupKey, absenceDedupKey } from '../keys';
import type { StoredItem } from '../records';
import { nameOf, type ParentPolicyInput } from './inputs';
import type { AbsenceCode } from './kinds';
import type { EventVerdict } from './parent-notice';

/** First-day absence notices (contract section 4), and their correction when the mark changes. */

const absenceCodes: ReadonlySet<string> = new Set(firstDayAbsenceCodes);

/** An attendance mark: an N, O or U marked today tells the family the same day. */
export function judgeAttendanceMark({ record, today, toldOfAbsence }: ParentPolicyInput): EventVerdict {
  const date = String(record.date);
  const code = String(record.code);
  const session = record.session === 'PM' ? 'PM' : 'AM';
  // A correction of a notice already sent, whatever the date: the service found who was told.
  if (toldOfAbsence) return judgeCorrection(toldOfAbsence, date, session, code);
  if (date < today) return { notify: false, kind: 'absence', reason: 'past-date' };
  if (date > today) return { notify: false, kind: 'absence', reason: 'future-date' };
  // The bus said N/O/U, but the stored mark is the truth now: a correction wins.
  if (!absenceCodes.has(code)) return { notify: false, kind: 'absence', reason: 'absence-corrected' };
  return {
    notify: true,
    kind: 'absence',
    dedupKey: absenceDedupKey(date),
    notice: (pupil) => ({ kind: 'absence', pupil: nameOf(pupil), date, session, code: code as AbsenceCode }),
  };
}

/**
 * A mark corrected after its first-day absence notice went out (docs/notifications.md): the
 * families told "absent" hear "our records now show they were there" when the pupil was in
 * school or in approved education off site, whatever the date (a wrong absence notice
 * worries a family); an authorised code means the family gave the reason, and an unauthorised
 * one (G) still says absent, so the notice was true and nothing more is sent, with the decision
 * recorded.
 */
function judgeCorrection(told: ReadonlySet<string>, date: string, session: 'AM' | 'PM', code: string): EventVerdict {
  if (told.size === 0) return { notify: false, kind: 'absence', reason: 'absence-corrected' };
  const category = attendanceCategories.present.includes(code as never)
    ? 'present'
    : attendanceCategories.approvedOffSite.includes(code as never)
      ? 'approvedOffSite'
      : undefined;
  // Still an unauthorised absence under another code (G): the notice was true, and it is not authorised.
  if (attendanceCategories.unauthorisedAbsence.includes(code as never))
    return { notify: false, kind: 'absence-correction', reason: 'absence-still-unauthorised' };
  if (!category) return { notify: false, kind: 'absence-correction', reason: 'absence-now-authorised' };
  return {
    notify: true,
    kind: 'absence-correction',
    dedupKey: absenceCorrectionDedupKey(date),
    notice: (pupil) => ({ kind: 'absence-correction', pupil: nameOf(pupil), date, session, now: category }),
  };
}

/** A stored mark that replaced an N, O or U with a code that is no longer one: that code. */
export function correctedAbsenceCode(record: StoredItem): string | undefined {
  const { code, previousCode } = record as { code?: unknown; previousCode?: unknown };
  return record.type === 'attendance.marked' && absenceCodes.has(String(previousCode)) && !absenceCodes.has(String(code)) ? String(previousCode) : undefined;
}
