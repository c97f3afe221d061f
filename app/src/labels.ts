import type { EntryKind } from '../../shared/domain/chronology';

/** Words people use for each kind of record; a new kind falls back to its type name. */
const labels: Record<string, string> = {
  'intervention.started': 'Intervention started',
  'intervention.session.recorded': 'Intervention session',
  'intervention.ended': 'Intervention ended',
  'restorative.session.recorded': 'Restorative session',
  'incident.recorded': 'Incident',
  'restrictive.intervention.recorded': 'Restrictive intervention',
  'outcome.measure.recorded': 'Outcome measure (SDQ)',
  absence: 'Absence',
  notification: 'Notification decision',
  'restrictive-report': 'Restrictive intervention report',
  restricted: 'Restricted (safeguarding)',
};

export const typeLabel = (kind: EntryKind | string) => labels[kind] ?? kind;

/** `targetScores` → "Target scores". */
export const fieldLabel = (name: string) => {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/Id$/, ' id')
    .replace(/ Id\b/, ' id')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
