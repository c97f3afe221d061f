import type { DslAlert } from '../notification-policy';
import { longDateTime } from './format';
import { renderEmail, type RenderedEmail } from './layout';

/**
 * The safeguarding alert to the DSL: who, when and which incident, never the notes (email is
 * not a secure channel; the MIS holds the details).
 */
export function dslAlertMessage(alert: DslAlert, school: { name: string; timezone: string }, options: { toLeaders: boolean }): RenderedEmail {
  const when = longDateTime(alert.occurredAt, school.timezone);
  const pupil = alert.pupilName ? `${alert.pupilName} (pupil id ${alert.pupilId})` : `Pupil id ${alert.pupilId} (not yet on the roster)`;
  return renderEmail({
    subject: `Safeguarding concern recorded at ${school.name} (pupil ${alert.pupilId})`,
    banner: school.name,
    heading: 'Safeguarding concern recorded',
    paragraphs: [
      `A safeguarding concern has been recorded for a pupil at ${school.name} and needs the attention of the designated safeguarding lead.`,
      ...(alert.amendment
        ? ['This is an amended version of an incident that an earlier version recorded as a safeguarding concern. This version does not repeat the flag, so it is treated as safeguarding too: its parents were not told.']
        : []),
    ],
    details: [
      ['Pupil', pupil],
      ['When', when],
      ['Incident', alert.incidentRef],
      ['Category', alert.category],
      ['Severity', `${alert.severity} of 5`],
      ['Tracker event', alert.eventId],
    ],
    after: [
      'For details, see the MIS. This email deliberately contains no notes: email is not a secure channel for safeguarding information.',
      ...(options.toLeaders
        ? [`You are receiving this as a leader of ${school.name} because no designated safeguarding lead (DSL) email is configured for the school. Please pass it to the DSL and ask trust IT to configure one.`]
        : []),
    ],
    footer: [`Sent by the intervention tracker for ${school.name}. Parents and carers are not told about safeguarding concerns.`],
  });
}
