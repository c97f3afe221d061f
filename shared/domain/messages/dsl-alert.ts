import type { DslAlert } from '../notification-policy';
import { longDateTime } from './format';
import { renderEmail, type RenderedEmail } from './layout';

/** What every warning that the DSL's copy bounced asks of the leaders. */
const seeItToday = "Please make sure the DSL sees it today, and ask trust IT to correct the school's DSL address.";
/** Why a DSL message says so little (email is not a secure channel). */
const noNotes = 'This email deliberately contains no notes: email is not a secure channel for safeguarding information.';

/**
 * The safeguarding alert to the DSL: who, when and which incident, never the notes (email is
 * not a secure channel; the MIS holds the details).
 */
/** `dslFailed`: the alert already went to the DSL and bounced (SES's reason); the leaders get it instead. */
export function dslAlertMessage(
  alert: DslAlert,
  school: { name: string; timezone: string },
  options: { toLeaders: boolean; dslFailed?: string },
): RenderedEmail {
  const when = longDateTime(alert.occurredAt, school.timezone);
  const pupil = alert.pupilName ? `${alert.pupilName} (pupil id ${alert.pupilId})` : `Pupil id ${alert.pupilId} (not yet on the roster)`;
  return renderEmail({
    subject: `${options.dslFailed ? 'Not delivered to the DSL: ' : ''}Safeguarding concern recorded at ${school.name} (pupil ${alert.pupilId})`,
    banner: school.name,
    heading: 'Safeguarding concern recorded',
    paragraphs: [
      ...(options.dslFailed
        ? [
            `Warning: this alert was sent to the designated safeguarding lead (DSL) of ${school.name} and could not be delivered (${options.dslFailed}). ${seeItToday}`,
          ]
        : []),
      `A safeguarding concern has been recorded for a pupil at ${school.name} and needs the attention of the designated safeguarding lead.`,
      ...(alert.amendment
        ? [
            'This is an amended version of an incident that an earlier version recorded as a safeguarding concern. This version does not repeat the flag, so it is treated as safeguarding too: its parents were not told.',
          ]
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
      `For details, see the MIS. ${noNotes}`,
      ...(options.toLeaders && !options.dslFailed
        ? [
            `You are receiving this as a leader of ${school.name} because no designated safeguarding lead (DSL) email is configured for the school. Please pass it to the DSL and ask trust IT to configure one.`,
          ]
        : []),
    ],
    footer: [`Sent by the intervention tracker for ${school.name}. Parents and carers are not told about safeguarding concerns.`],
  });
}

/**
 * The leaders' warning for a DSL message of another kind (e.g. a restraint report the
 * parents could not be given) that bounced: ids only, the MIS and the tracker hold the rest.
 */
export function dslUndeliveredMessage(sent: { pupilId: string; eventId: string; eventType: string }, school: { name: string }, reason: string): RenderedEmail {
  return renderEmail({
    subject: `Not delivered to the DSL: safeguarding message at ${school.name} (pupil ${sent.pupilId})`,
    banner: school.name,
    heading: 'A message to the DSL was not delivered',
    paragraphs: [`Warning: a message for the designated safeguarding lead (DSL) of ${school.name} could not be delivered (${reason}). ${seeItToday}`],
    details: [
      ['Pupil', `Pupil id ${sent.pupilId}`],
      ['Record', sent.eventType],
      ['Tracker event', sent.eventId],
    ],
    after: [`For details, see the MIS and the tracker. ${noNotes}`],
    footer: [`Sent by the intervention tracker for ${school.name}.`],
  });
}
