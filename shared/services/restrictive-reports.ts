import type { StoredEventDetail } from '../../events/bus';
import { restrictiveDslAlertMessage, restrictiveReportMessage } from '../domain/messages';
import { toPupilProfile, type PupilProfile } from '../domain/notification-policy';
import { decideRestrictiveReport, otherPupilsOf, undeliverableAlert, type RestrictiveDslAlert } from '../domain/restrictive-report';
import {
  count,
  decisionContext,
  decisionItem,
  emptySummary,
  loadContext,
  send,
  sendDslAlert,
  type DecisionContext,
  type NotificationDeps,
  type NotificationSummary,
} from './notifications';

/**
 * Carries out the statutory report of a restrictive intervention (policy:
 * shared/domain/restrictive-report.ts) with the same exactly-once protocol as every other
 * notification: claim the decision, send, record. The DSL alert (withheld, or nobody could
 * be sent it) is one more decision under the recipient key `dsl`.
 */
export async function reportRestrictiveIntervention(detail: StoredEventDetail, deps: NotificationDeps): Promise<NotificationSummary> {
  const { school, record } = await loadContext(detail, deps);
  const pupilIds = [...new Set([...detail.pupilIds, ...otherPupilsOf(record)])];
  const items = await Promise.all(pupilIds.map((pupilId) => deps.notificationReads.pupilProfile(detail.schoolId, pupilId)));
  const profiles = new Map<string, PupilProfile | undefined>(
    pupilIds.map((pupilId, index) => [pupilId, items[index] ? toPupilProfile(items[index]) : undefined]),
  );
  const plan = decideRestrictiveReport({ eventId: detail.eventId, record, profiles });

  const context = (category: DecisionContext['category']) => decisionContext(detail, school, deps.clock.now(), category);
  const summary = emptySummary(detail.schoolId, detail.eventId);
  const rejected: Record<string, number> = {};
  let sendable = 0;
  for (const decision of plan.decisions) {
    const item = decisionItem(context('parent-notification'), decision, decision.action === 'send' ? 'sending' : 'suppressed');
    const claim = await deps.notifications.claim(item);
    if (!claim.claimed) {
      count(summary, 'duplicate');
      if (decision.action === 'send') sendable++;
      continue;
    }
    if (decision.action === 'suppress') {
      count(summary, 'suppressed', decision.reason);
      continue;
    }
    sendable++;
    const outcome = await send(deps, item, { to: [decision.recipient.email!], ...restrictiveReportMessage(decision.notice!, school) });
    if (outcome === 'rejected') rejected['mail-rejected'] = (rejected['mail-rejected'] ?? 0) + 1;
    count(summary, outcome);
  }

  // Every address refused the email for good: nobody was told, so the DSL must see to it.
  const alert: RestrictiveDslAlert | undefined =
    plan.dslAlert ??
    (sendable > 0 && rejected['mail-rejected'] === sendable && plan.decisions[0]
      ? undeliverableAlert(detail.eventId, record, profiles.get(plan.decisions[0].pupilId), rejected)
      : undefined);
  if (!alert) return summary;
  return sendDslAlert({
    context: context('dsl-alert'),
    school,
    deps,
    summary,
    pupilId: alert.pupilId,
    kind: alert.kind,
    message: (toLeaders) => restrictiveDslAlertMessage(alert, school, { toLeaders }),
  });
}
