import type { IncidentRecorded } from '../../../events/incident';
import { latestVersion, type IncidentVersion } from '../incident-versions';
import { latestPerKey, recordOrder } from './order';
import type { IncidentFigures, JournalRecord } from './types';

/**
 * Incidents of one week (one per incidentId: the latest version wins, and counts only in the
 * week it is filed under, its happenedAt's): total, by category
 * and severity (1..5), reasonable force (physicalIntervention.used) and how often with an
 * injury, distinct pupils, and the change from last week's total. Notes are never read.
 */
export interface IncidentWeek {
  figures: IncidentFigures;
  /** Incidents per pupil this week (carried, for next week's "rising incidents"). */
  byPupil: Record<string, number>;
}

export function incidentWeek(records: JournalRecord[], previousWeekTotal: number | null, versions: Record<string, IncidentVersion[]> = {}): IncidentWeek {
  const incidents = latestPerKey(
    records.filter((record) => record.type === 'incident.recorded').sort(recordOrder),
    (record) => (record.data as IncidentRecorded).incidentId,
  ).filter((record) => {
    // A later version filed under another week (a changed happenedAt) counts there, not here.
    const latest = latestVersion(versions[(record.data as IncidentRecorded).incidentId] ?? []);
    return !latest || latest.eventId === record.eventId;
  });
  const byCategory: Record<string, number> = {};
  const bySeverity: IncidentFigures['bySeverity'] = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  const byPupil: Record<string, number> = {};
  let reasonableForce = 0;
  let reasonableForceWithInjury = 0;
  for (const record of incidents) {
    const data = record.data as IncidentRecorded;
    const category = data.category.trim().toLowerCase();
    byCategory[category] = (byCategory[category] ?? 0) + 1;
    bySeverity[String(data.severity) as keyof IncidentFigures['bySeverity']]++;
    if (data.physicalIntervention?.used) {
      reasonableForce++;
      if (data.physicalIntervention.injury) reasonableForceWithInjury++;
    }
    for (const pupilId of new Set(record.pupilIds)) byPupil[pupilId] = (byPupil[pupilId] ?? 0) + 1;
  }
  return {
    byPupil,
    figures: {
      total: incidents.length,
      byCategory,
      bySeverity,
      reasonableForce,
      reasonableForceWithInjury,
      pupils: Object.keys(byPupil).length,
      previousWeekTotal,
      change: previousWeekTotal === null ? null : incidents.length - previousWeekTotal,
    },
  };
}
