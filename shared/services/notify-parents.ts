import type { StoredEventDetail } from '../../events/bus';
import { notifyParentsOfEvent, type NotificationDeps, type NotificationSummary } from './notifications';
import { reportRestrictiveIntervention } from './restrictive-reports';

/**
 * What notify-parents does with a stored event: the statutory report of a restrictive
 * intervention (its own policy: no `notifyFor`, DSL when withheld or undeliverable), or the
 * notification policy for everything else.
 */
export function notifyParentsOf(detail: StoredEventDetail, deps: NotificationDeps): Promise<NotificationSummary> {
  return detail.type === 'restrictive.intervention.recorded' ? reportRestrictiveIntervention(detail, deps) : notifyParentsOfEvent(detail, deps);
}
