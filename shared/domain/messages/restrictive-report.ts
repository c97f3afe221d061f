import type { RestrictiveType } from '../../../events/restrictive';
import type { RestrictiveDslAlert, RestrictiveReportNotice } from '../restrictive-report';
import { longDateTime, plural } from './format';
import { renderEmail, type RenderedEmail } from './layout';
import type { SchoolForMessage } from './parent-notice';

/**
 * The statutory report to parents of force, restraint or seclusion, and the DSL's alert when
 * it is withheld or cannot be sent by email. Plain, kind words; one content model renders
 * both the text and the HTML part (layout.ts). Built only from the policy's whitelist, so
 * no staff, no other pupil and no notes can appear.
 */

/** What each type is called in a letter home. */
const restrictivePhrases: Record<RestrictiveType, string> = {
  reasonable_force: 'reasonable force (staff physically guided or held them)',
  restraint: 'restraint (staff stopped them from moving freely, for their safety or the safety of others)',
  seclusion: 'seclusion (they were kept apart in a room or space they could not leave)',
};
const shortPhrases: Record<RestrictiveType, string> = { reasonable_force: 'reasonable force', restraint: 'restraint', seclusion: 'seclusion' };

const listOf = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const restrictiveSummary = (types: readonly RestrictiveType[]) => listOf(types.map((type) => shortPhrases[type]));

export function restrictiveReportMessage(notice: RestrictiveReportNotice, school: SchoolForMessage): RenderedEmail {
  const first = notice.pupil.firstName;
  const full = `${notice.pupil.firstName} ${notice.pupil.lastName}`;
  const when = longDateTime(notice.startedAt, school.timezone);
  const what = restrictiveSummary(notice.types);
  const injuries = [
    notice.injuries.pupil ? `${first} was hurt.` : `${first} was not hurt.`,
    notice.injuries.staff ? 'A member of staff was also hurt.' : '',
    notice.injuries.description ?? '',
  ]
    .filter(Boolean)
    .join(' ');
  return renderEmail({
    subject: `${school.name}: a report about ${first} (${what})`,
    banner: school.name,
    heading: `What happened with ${first}`,
    greeting: `Dear parent or carer of ${first},`,
    paragraphs: [
      `We are writing, as we must by law, to tell you that staff at ${school.name} used ${what} with ${full} on ${when}.`,
      'We only do this when it is needed to keep a pupil or others safe, and only after trying to calm things down first. We know this may be worrying to read, and we would like to talk it through with you.',
    ],
    details: [
      ['When', when],
      ['Where', notice.location],
      ['What was used', [...notice.types.map((type) => restrictivePhrases[type]), ...(notice.technique ? [`method: ${notice.technique}`] : [])].join('; ')],
      ['How long', plural(notice.durationMinutes, 'minute')],
      ['Why it was needed', notice.reason],
      ['What we tried first', notice.deEscalation],
      ['Injuries', injuries],
      ['Support afterwards', notice.supportAfter ?? `Please ask us about the support ${first} was given afterwards.`],
      ['Reference', notice.recordRef],
    ],
    after: [
      `Please contact ${school.name} and quote the reference above if you would like to talk about what happened, or if you have any worries about ${first}.`,
    ],
    footer: [
      `Schools in England must record each significant use of force, restraint or seclusion and tell parents and carers as soon as they can. You are receiving this because you are recorded as having parental responsibility for ${first}.`,
      `Please do not reply to this email. To ask about it, please contact ${school.name}.`,
    ],
  });
}

const reasonPhrases: Record<string, string> = {
  'not-on-roster': 'the pupil is not on the roster yet',
  'no-contacts': 'no contacts are recorded',
  'notify-false': 'a contact asked not to be contacted by email',
  'no-parental-responsibility': 'a contact does not have parental responsibility',
  'no-email': 'a contact has no email address',
  'duplicate-email': 'a contact shares an address already used',
  'mail-rejected': "the email was refused by the recipient's mail service",
};

/**
 * Withheld from every parent, or from some: who was told, and what the law asks next. Where no
 * parent can be told without that risk, the incident goes to the local authority where the
 * pupil lives instead (Education and Inspections Act 2006, s.93A(5)(b), for force).
 */
function withheldParagraphs(alert: RestrictiveDslAlert): string[] {
  const what = restrictiveSummary(alert.types);
  const someUnsent = Object.keys(alert.undeliverable ?? {}).length > 0;
  return [
    alert.withheldFrom
      ? `A record of ${what} has been made with the report withheld from the parents or carers named below, because telling them would put the pupil at risk of significant harm.`
      : `A record of ${what} has been made with the report to parents withheld, because telling them would put the pupil at risk of significant harm.`,
    alert.sentToOthers
      ? 'The other parents and carers with parental responsibility have been sent the report.'
      : someUnsent
        ? 'No other parent or carer could be sent it by email: please make sure they are given it another way today (by phone, letter or in person).'
        : 'No parent or carer has been sent anything. Where no parent can be told without that risk, the law requires the incident to be reported to the local authority where the pupil lives instead.',
    'As the designated safeguarding lead, please review the decision and the reason below, and keep it under review.',
  ];
}

export function restrictiveDslAlertMessage(
  alert: RestrictiveDslAlert,
  school: { name: string; timezone: string },
  options: { toLeaders: boolean },
): RenderedEmail {
  const when = longDateTime(alert.startedAt, school.timezone);
  const pupil = alert.pupilName ? `${alert.pupilName} (pupil id ${alert.pupilId})` : `Pupil id ${alert.pupilId} (not yet on the roster)`;
  const withheld = alert.kind === 'restrictive-report-withheld';
  const why = Object.entries(alert.undeliverable ?? {}).map(
    ([reason, count]) => `${reasonPhrases[reason] ?? reason}${count > 1 ? ` (${count} contacts)` : ''}`,
  );
  return renderEmail({
    subject: withheld
      ? `Restrictive intervention report withheld from parents at ${school.name} (pupil ${alert.pupilId})`
      : `Action needed: parents not yet told of a restrictive intervention at ${school.name} (pupil ${alert.pupilId})`,
    banner: school.name,
    heading: withheld ? 'Report to parents withheld' : 'The report to parents must be given another way',
    paragraphs: withheld
      ? withheldParagraphs(alert)
      : [
          `A record of ${restrictiveSummary(alert.types)} has been made, but no parent or carer could be sent the report by email.`,
          'The law requires parents to be told as soon as practicable: please make sure the report is given another way today (by phone, letter or in person), and that the contact details are put right in the MIS.',
        ],
    details: [
      ['Pupil', pupil],
      ['When', when],
      ['What was used', restrictiveSummary(alert.types)],
      ['How long', plural(alert.durationMinutes, 'minute')],
      ['Injury recorded', alert.injured ? 'Yes' : 'No'],
      ['Record', alert.recordRef],
      ...(withheld ? [['Reason for withholding', alert.withholdReason ?? ''] as [string, string]] : []),
      ...(alert.withheldFrom ? [['Withheld from', alert.withheldFrom.join('\n')] as [string, string]] : []),
      ...(why.length ? [['Why it could not be sent', why.join('\n')] as [string, string]] : []),
      ['Tracker event', alert.eventId],
    ],
    after: [
      'For the full record, see the MIS or the tracker. This email deliberately contains no staff notes: email is not a secure channel.',
      ...(options.toLeaders
        ? [
            `You are receiving this as a leader of ${school.name} because no designated safeguarding lead (DSL) email is configured for the school. Please pass it to the DSL and ask trust IT to configure one.`,
          ]
        : []),
    ],
    footer: [`Sent by the intervention tracker for ${school.name}.`],
  });
}
