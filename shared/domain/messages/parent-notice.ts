import type { InterventionKind, ParentNotice, ParentNoticeKind } from '../notification-policy';
import { longDate, longDateTime, plural } from './format';
import { renderEmail, type EmailContent, type RenderedEmail } from './layout';

/**
 * Parent/carer emails, in plain language. Built only from a ParentNotice (the policy's
 * whitelist), so notes, staff and other pupils cannot appear: there is no field to carry them.
 */
export interface SchoolForMessage {
  name: string;
  timezone: string;
}

export const programmePhrases: Record<InterventionKind, string> = {
  mentoring: 'one-to-one mentoring',
  semh_group: 'a small group supporting social, emotional and mental health',
  emotional_literacy: 'emotional literacy support',
  social_skills: 'a social skills group',
  anger_management: 'support with managing anger',
  reintegration: 'a programme to help settle back into lessons',
  reflective: 'reflective sessions',
  counselling: 'counselling',
  literacy: 'extra reading and writing support',
  numeracy: 'extra maths support',
  other: 'a support programme',
};

const outcomePhrases = {
  achieved: 'The programme met its goals.',
  partially_achieved: 'The programme met some of its goals.',
  not_achieved: 'The programme did not meet its goals this time.',
  withdrawn: 'The programme was stopped before its planned end.',
} as const;

const formatPhrases = {
  conversation: 'a restorative conversation',
  mini_conference: 'a restorative meeting',
  circle: 'a restorative circle',
  conference: 'a restorative conference',
} as const;

const sessionPhrase = { AM: 'morning', PM: 'afternoon' } as const;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

type NoticeOf<K extends ParentNoticeKind> = Extract<ParentNotice, { kind: K }>;

/** The words every notice to a family shares. */
interface Words {
  school: SchoolForMessage;
  /** The pupil's first name, and full name. */
  first: string;
  full: string;
  contactUs: string;
}

/** What differs by kind: the banner, greeting and footer are the same for every notice. */
type Wording = Omit<EmailContent, 'banner' | 'greeting' | 'footer'>;

type Row = [label: string, value: string];

function forceWording(notice: NoticeOf<'force'>, { school, first, full }: Words): Wording {
  const when = longDateTime(notice.occurredAt, school.timezone);
  return {
    subject: `${school.name}: reasonable force was used with ${first}`,
    heading: 'Use of reasonable force',
    paragraphs: [
      `We are writing to let you know that staff at ${school.name} used reasonable force with ${full} on ${when}.`,
      'Schools may use reasonable force to keep pupils and others safe. We always tell parents and carers on the same day when it has been used.',
    ],
    details: [
      ['When', when],
      ['Type of incident', notice.category],
      ...(notice.durationMinutes !== undefined ? [['How long', plural(notice.durationMinutes, 'minute')] as Row] : []),
      ['Injury', notice.injury ? `An injury was recorded. Please contact ${school.name} so we can talk it through with you.` : 'No injury was recorded.'],
      ...(notice.detention ? [['Detention', `${plural(notice.detention.minutes, 'minute')} on ${longDate(notice.detention.date)}`] as Row] : []),
      ['Reference', notice.incidentRef],
    ],
    after: [`We would like to talk with you about what happened. Please contact ${school.name} and quote the reference above.`],
  };
}

function detentionWording(notice: NoticeOf<'detention'>, { school, first, full }: Words): Wording {
  const when = longDateTime(notice.occurredAt, school.timezone);
  return {
    subject: `${school.name}: detention for ${first}`,
    heading: 'Detention',
    paragraphs: [`${full} has been given a detention following an incident at school on ${when}.`],
    details: [
      ['Detention', longDate(notice.detention.date)],
      ['Length', plural(notice.detention.minutes, 'minute')],
      ['Type of incident', notice.category],
      ['Reference', notice.incidentRef],
    ],
    after: [`If you have any questions, please contact ${school.name} and quote the reference above.`],
  };
}

function interventionStartedWording(notice: NoticeOf<'intervention-started'>, { school, first, full, contactUs }: Words): Wording {
  return {
    subject: `${school.name}: extra support for ${first}`,
    heading: 'Extra support starting',
    paragraphs: [
      `${full} is starting ${programmePhrases[notice.programme]} at school from ${longDate(notice.startDate)}.`,
      `This is extra support to help ${first} at school. You do not need to do anything, but you are very welcome to ask about it.`,
    ],
    details: [
      ['Support', capitalise(programmePhrases[notice.programme])],
      ['Starts', longDate(notice.startDate)],
      ...(notice.plannedSessions ? [['Planned sessions', String(notice.plannedSessions)] as Row] : []),
    ],
    after: [contactUs],
  };
}

function interventionEndedWording(notice: NoticeOf<'intervention-ended'>, { school, first, full, contactUs }: Words): Wording {
  const what = notice.programme ? programmePhrases[notice.programme] : 'a support programme';
  return {
    subject: `${school.name}: ${first}'s support programme has ended`,
    heading: 'Extra support finished',
    paragraphs: [`${capitalise(what)} for ${full} finished on ${longDate(notice.endDate)}.`, outcomePhrases[notice.outcome]],
    details: [
      ['Support', capitalise(what)],
      ['Finished', longDate(notice.endDate)],
    ],
    after: [contactUs],
  };
}

function restorativeWording(notice: NoticeOf<'restorative'>, { school, first, full, contactUs }: Words): Wording {
  return {
    subject: `${school.name}: restorative meeting with ${first}`,
    heading: 'Restorative meeting',
    paragraphs: [
      `${full} took part in ${formatPhrases[notice.format]} at school on ${longDate(notice.date)}. Restorative meetings help pupils talk through what happened, put things right and agree how to move on.`,
    ],
    details: [
      ['Date', longDate(notice.date)],
      ...(notice.agreementReached !== undefined
        ? [['Agreement', notice.agreementReached ? 'An agreement was reached.' : 'No agreement was reached this time.'] as Row]
        : []),
      ...(notice.followUpDate ? [['Follow-up', longDate(notice.followUpDate)] as Row] : []),
    ],
    quote: { label: 'Summary from the school', text: notice.summary },
    after: [contactUs],
  };
}

function absenceWording(notice: NoticeOf<'absence'>, { school, first, full }: Words): Wording {
  const session = sessionPhrase[notice.session];
  const day = longDate(notice.date);
  const what = {
    N: `${full} was not in school for the ${session} register today, ${day}, and we have not been given a reason.`,
    O: `${full} has been recorded as absent without permission for the ${session} register today, ${day}.`,
    U: `${full} arrived after the ${session} register closed today, ${day}. This is recorded as an unauthorised absence.`,
  }[notice.code];
  return {
    subject: notice.code === 'U' ? `${school.name}: ${first} arrived after the register closed today` : `${school.name}: ${first} is absent today`,
    heading: notice.code === 'U' ? 'Late after the register closed' : 'Absence today',
    paragraphs: [what],
    details: [
      ['Date', day],
      ['Register', capitalise(session)],
    ],
    after: [`Please contact ${school.name} today to tell us the reason, or if you think this is a mistake.`],
  };
}

function absenceCorrectionWording(notice: NoticeOf<'absence-correction'>, { school, first, full, contactUs }: Words): Wording {
  const session = sessionPhrase[notice.session];
  const day = longDate(notice.date);
  const where = notice.now === 'present' ? 'in school' : 'attending approved education away from the school site';
  return {
    subject: `${school.name}: correction about ${first}'s attendance on ${day}`,
    heading: 'A correction to our earlier message',
    paragraphs: [
      `We wrote to you that ${full} was absent for the ${session} register on ${day}. Our records now show ${first} was ${where} for that session. Please disregard our earlier message; we are sorry for any worry it caused.`,
    ],
    details: [
      ['Date', day],
      ['Register', capitalise(session)],
    ],
    after: [contactUs],
  };
}

/** Every kind of notice: a new kind does not compile until it is given its wording here. */
const wordingOf: { [K in ParentNoticeKind]: (notice: NoticeOf<K>, words: Words) => Wording } = {
  force: forceWording,
  detention: detentionWording,
  'intervention-started': interventionStartedWording,
  'intervention-ended': interventionEndedWording,
  restorative: restorativeWording,
  absence: absenceWording,
  'absence-correction': absenceCorrectionWording,
};

/** The kind's wording for this notice (the kind is passed apart so the compiler can pair them). */
const wordingFor = <K extends ParentNoticeKind>(kind: K, notice: NoticeOf<K>, words: Words): Wording => wordingOf[kind](notice, words);

export function parentMessage(notice: ParentNotice, school: SchoolForMessage): RenderedEmail {
  const first = notice.pupil.firstName;
  const full = `${notice.pupil.firstName} ${notice.pupil.lastName}`;
  const contactUs = `If you have any questions, please contact ${school.name}.`;
  return renderEmail({
    banner: school.name,
    greeting: `Dear parent or carer of ${first},`,
    footer: [
      `This message was sent by ${school.name} because you are recorded as a parent or carer of ${first} who receives updates by email.`,
      `Please do not reply to this email. To ask about it, or to change which updates you receive, please contact ${school.name}.`,
    ],
    ...wordingFor(notice.kind, notice, { school, first, full, contactUs }),
  });
}
