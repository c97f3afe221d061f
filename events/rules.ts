import { firstDayAbsenceCodes } from './attendance-codes';
import { rollupSource, storedEventSource } from './bus';
import { recordedMailCategories, sesFeedbackDetailTypes, sesFeedbackSource } from './ses-feedback';

/**
 * EventBridge rule patterns, defined once: the CDK stack creates a rule per entry and the
 * local bus evaluates the very same patterns. `target` names the function that receives
 * the matches (functions/<target>).
 */
export const rules = {
  parentNotifications: {
    description: 'Events that may notify parents/carers; never safeguarding concerns',
    target: 'notify-parents',
    pattern: {
      source: [storedEventSource],
      $or: [
        {
          'detail-type': ['incident.recorded', 'intervention.started', 'intervention.ended', 'restorative.session.recorded'],
          detail: { safeguardingConcern: [false] },
        },
        { 'detail-type': ['attendance.marked'], detail: { attendanceCode: [...firstDayAbsenceCodes] } },
        // An absence corrected after its notice may have gone out (docs/notifications.md).
        { 'detail-type': ['attendance.marked'], detail: { correctedFromCode: [...firstDayAbsenceCodes] } },
      ],
    },
  },
  restrictiveInterventionReports: {
    description: 'Statutory reports of force, restraint or seclusion: to parents the same day, or the DSL when withheld or undeliverable',
    target: 'notify-parents',
    pattern: {
      source: [storedEventSource],
      'detail-type': ['restrictive.intervention.recorded'],
      detail: { parentReport: ['send', 'withhold'] },
    },
  },
  dslAlerts: {
    description: "Safeguarding concerns go to the school's designated safeguarding lead",
    target: 'alert-dsl',
    pattern: {
      source: [storedEventSource],
      'detail-type': ['incident.recorded'],
      detail: { safeguardingConcern: [true] },
    },
  },
  schoolRollups: {
    description: 'One weekly rollup per school, fanned out by the schedule or `tracker rollup`',
    target: 'rollup-school',
    pattern: { source: [rollupSource], 'detail-type': ['rollup.requested'] },
  },
  trustSummary: {
    description: "After each school's rollup, the trust summary once every school is done",
    target: 'trust-summary',
    pattern: { source: [rollupSource], 'detail-type': ['rollup.completed'] },
  },
  mailFeedback: {
    description: 'SES feedback on parent notices and DSL alerts: bounces, complaints, rejects and delivery delays',
    target: 'record-mail-feedback',
    // SES v2 event destinations publish to the account's default bus, not the tracker's.
    bus: 'default',
    pattern: {
      source: [sesFeedbackSource],
      'detail-type': Object.values(sesFeedbackDetailTypes),
      detail: { mail: { tags: { category: [...recordedMailCategories] } } },
    },
  },
} as const;
