import { describe, expect, it } from 'vitest';
import { parseEvent, type TrackerEvent } from '../../events/catalogue';
import type { Contact } from '../../events/pupil';
import { dslAlertMessage, escapeHtml, longDate, longDateTime, parentMessage } from '../../shared/domain/messages';
import { decideParentNotifications, dslAlertFor, toPupilProfile, type ParentNotice, type PupilProfile } from '../../shared/domain/notification-policy';
import { planWrite, type StoredItem } from '../../shared/domain/records';
import { attendanceMark, incident, interventionStarted, pupil, restorativeSession } from '../support/events';

/** Messages are built from the policy's whitelist: what must never appear, and how they read. */
const school = { schoolId: 'oak', timezone: 'Europe/London' };
const oak = { name: 'Oak Primary', timezone: 'Europe/London' };

const parse = (raw: unknown): TrackerEvent => {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.event;
};
const stored = (raw: unknown): StoredItem => {
  const plan = planWrite(parse(raw), school, new Date('2026-11-23T09:00:00Z'));
  return plan.kind === 'mark' ? { ...plan.mark.key, ...plan.mark.attributes } : { ...plan.journal };
};
const parent: Partial<Contact> = {
  contactId: 'C1',
  name: 'Sam Taylor',
  relationship: 'mother',
  parentalResponsibility: true,
  email: 'sam@example.org',
  notify: true,
};
const profileOf = (pupilId: string, firstName: string, lastName: string): PupilProfile => {
  const plan = planWrite(parse(pupil({ pupilId, data: { firstName, lastName, contacts: [parent] } })), school, new Date());
  if (plan.kind !== 'journal' || !plan.profile) throw new Error('no profile');
  return toPupilProfile(plan.profile.attributes);
};

// Everything staff-only or about someone else, planted in every field that could carry it.
const NOTE = 'NOTE-7f3a confidential staff note';
const STAFF = 'STAFF-Grey-42';
const OTHER_ID = 'P-OTHER-9';
const OTHER_FIRST = 'Jordan';
const OTHER_LAST = 'Okonkwo';
const forbidden = [NOTE, 'NOTE-7f3a', STAFF, OTHER_ID, OTHER_FIRST, OTHER_LAST, 'Mr Grey', 'held by', 'Room 12'];

const profiles = new Map<string, PupilProfile | undefined>([
  ['P001', profileOf('P001', 'Alex', 'Taylor')],
  [OTHER_ID, profileOf(OTHER_ID, OTHER_FIRST, OTHER_LAST)],
]);

const events = {
  force: incident({
    occurredAt: '2026-06-23T08:50:00Z',
    data: {
      incidentId: 'INC-1',
      category: 'physical aggression',
      severity: 4,
      location: 'Room 12',
      physicalIntervention: { used: true, technique: 'held by Mr Grey', durationMinutes: 3, injury: false },
      detention: { date: '2026-06-24', minutes: 30 },
      notes: NOTE,
    },
  }),
  detention: incident({ data: { incidentId: 'INC-2', category: 'disruption', detention: { date: '2026-11-25', minutes: 20 }, notes: NOTE } }),
  interventionStarted: interventionStarted({
    data: {
      title: `Mentoring with Mr Grey and ${OTHER_FIRST}`,
      staffId: STAFF,
      groupPupilIds: [OTHER_ID],
      targets: [{ targetId: 'T1', area: 'social', description: `Gets on with ${OTHER_FIRST}`, baseline: 2, goal: 8 }],
    },
  }),
  interventionEnded: {
    eventId: 'E-end',
    type: 'intervention.ended',
    occurredAt: '2026-11-23T10:00:00Z',
    pupilId: 'P001',
    data: { interventionId: 'INT1', endDate: '2026-11-23', outcome: 'withdrawn', notes: NOTE },
  },
  restorative: restorativeSession({
    data: {
      participants: [
        { pupilId: 'P001', role: 'harmed' },
        { pupilId: OTHER_ID, role: 'responsible' },
        { staffId: STAFF, role: 'facilitator' },
      ],
      summaryForParents: `Alex and ${OTHER_FIRST} ${OTHER_LAST} (${OTHER_ID}) talked with ${STAFF} and agreed to sit apart.`,
      followUpDate: '2026-11-30',
      notes: NOTE,
    },
  }),
  absence: attendanceMark({ code: 'N', date: '2026-11-23', session: 'AM' }),
};

function noticesFor(raw: unknown, interventionKind?: 'mentoring'): ParentNotice[] {
  const event = parse(raw);
  return decideParentNotifications({ eventId: event.eventId, type: event.type, record: stored(raw), profiles, today: '2026-11-23', interventionKind })
    .filter((decision) => decision.pupilId === 'P001' && decision.action === 'send')
    .map((decision) => decision.notice!);
}

describe('parent messages never carry notes, staff or other pupils', () => {
  for (const [name, raw] of Object.entries(events)) {
    it(`${name}: text and HTML`, () => {
      const notices = noticesFor(raw);
      expect(notices).toHaveLength(1);
      const message = parentMessage(notices[0]!, oak);
      for (const part of [message.subject, message.text, message.html]) {
        for (const text of forbidden) expect(part, `${name} contains ${text}`).not.toContain(text);
        expect(part).toContain('Oak Primary');
      }
      expect(message.text).toContain('please contact Oak Primary');
      expect(message.html).toContain('please contact Oak Primary');
      // The parent's own child is named; the MIS pupil id is not needed.
      expect(message.text).toContain('Alex Taylor');
      expect(message.text).not.toContain('P001');
    });
  }
});

describe('what each message says', () => {
  it('force: when (school time, BST in June), how long, injury, the detention and a reference', () => {
    const message = parentMessage(noticesFor(events.force)[0]!, oak);
    expect(message.subject).toBe('Oak Primary: reasonable force was used with Alex');
    expect(message.text).toContain('Tuesday 23 June 2026 at 09:50');
    expect(message.text).toContain('How long: 3 minutes');
    expect(message.text).toContain('No injury was recorded.');
    expect(message.text).toContain('Detention: 30 minutes on Wednesday 24 June 2026');
    expect(message.text).toContain('Reference: INC-1');
  });

  it('intervention: plain programme language, never the staff title', () => {
    const started = parentMessage(noticesFor(events.interventionStarted)[0]!, oak);
    expect(started.text).toContain('Alex Taylor is starting one-to-one mentoring at school from Monday 23 November 2026.');
    expect(started.text).toContain('Planned sessions: 6');
    const ended = parentMessage(noticesFor(events.interventionEnded, 'mentoring')[0]!, oak);
    expect(ended.text).toContain('One-to-one mentoring for Alex Taylor finished on Monday 23 November 2026.');
    expect(ended.text).toContain('stopped before its planned end');
    const unknownKind = parentMessage(noticesFor(events.interventionEnded)[0]!, oak);
    expect(unknownKind.text).toContain('A support programme for Alex Taylor finished');
  });

  it('restorative: the summary for parents, redacted, and the follow-up date', () => {
    const message = parentMessage(noticesFor(events.restorative)[0]!, oak);
    expect(message.text).toContain('Alex and another pupil (another pupil) talked with a member of staff and agreed to sit apart.');
    expect(message.text).toContain('Follow-up: Monday 30 November 2026');
  });

  it('absence: the day, the register, and what to do', () => {
    const message = parentMessage(noticesFor(events.absence)[0]!, oak);
    expect(message.subject).toBe('Oak Primary: Alex is absent today');
    expect(message.text).toContain('was not in school for the morning register today, Monday 23 November 2026');
    expect(message.text).toContain('Please contact Oak Primary today to tell us the reason');
    const late = parentMessage({ ...(noticesFor(events.absence)[0] as Extract<ParentNotice, { kind: 'absence' }>), code: 'U', session: 'PM' }, oak);
    expect(late.subject).toBe('Oak Primary: Alex arrived after the register closed today');
    expect(late.text).toContain('after the afternoon register closed');
  });

  it('absence correction: which register, what the records now show, and an apology (issue 11)', () => {
    const message = parentMessage(
      { kind: 'absence-correction', pupil: { firstName: 'Alex', lastName: 'Taylor' }, date: '2026-11-23', session: 'AM', now: 'present' },
      oak,
    );
    expect(message.subject).toBe("Oak Primary: correction about Alex's attendance on Monday 23 November 2026");
    expect(message.text).toContain(
      'We wrote to you that Alex Taylor was absent for the morning register on Monday 23 November 2026. Our records now show Alex was in school for that session.',
    );
  });

  it('HTML is a simple inline-styled table layout with both parts', () => {
    const message = parentMessage(noticesFor(events.detention)[0]!, oak);
    expect(message.html).toMatch(/^<!DOCTYPE html>/);
    expect(message.html).toContain('<table role="presentation"');
    expect(message.html).not.toMatch(/<style|<link|<script|<img/i);
    expect(message.text).not.toMatch(/<[a-z]/i);
  });
});

describe('HTML escaping', () => {
  it('escapes every value: school name, pupil name, category, summary', () => {
    const notice: ParentNotice = {
      kind: 'restorative',
      pupil: { firstName: '<script>alert(1)</script>', lastName: 'O\'Brien & "Co"' },
      date: '2026-11-23',
      format: 'circle',
      summary: 'Line one <b>bold</b>\nLine two & more',
    };
    const message = parentMessage(notice, { name: 'St <Mary> & "John\'s"', timezone: 'Europe/London' });
    expect(message.html).not.toContain('<script>');
    expect(message.html).not.toContain('<b>bold</b>');
    expect(message.html).not.toContain('St <Mary>');
    expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message.html).toContain('O&#39;Brien &amp; &quot;Co&quot;');
    expect(message.html).toContain('St &lt;Mary&gt; &amp; &quot;John&#39;s&quot;');
    expect(message.html).toContain('Line one &lt;b&gt;bold&lt;/b&gt;<br>Line two &amp; more');
    // The text part is plain text: no entities.
    expect(message.text).toContain('<script>alert(1)</script>');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('keeps the subject to one header line', () => {
    const notice = noticesFor(events.absence)[0]!;
    expect(parentMessage(notice, { name: 'Oak\r\nBcc: evil@example.org', timezone: 'Europe/London' }).subject).not.toMatch(/[\r\n]/);
  });
});

describe('dates', () => {
  it('reads as UK long dates in the school timezone', () => {
    expect(longDate('2026-11-23')).toBe('Monday 23 November 2026');
    expect(longDate('2027-03-28')).toBe('Sunday 28 March 2027');
    expect(longDateTime('2026-11-23T08:50:00Z', 'Europe/London')).toBe('Monday 23 November 2026 at 08:50');
    // Late Sunday evening UTC in summer is Monday in London.
    expect(longDateTime('2026-06-28T23:30:00Z', 'Europe/London')).toBe('Monday 29 June 2026 at 00:30');
  });
});

describe('DSL alert', () => {
  const raw = incident({
    eventId: 'E-sg-1',
    occurredAt: '2026-11-23T10:15:00Z',
    data: { incidentId: 'INC-SG', category: 'disclosure', severity: 5, safeguardingConcern: true, location: 'Room 12', notes: NOTE },
  });

  it('says who, when, which incident, category and severity, and points to the MIS; no notes', () => {
    const alert = dslAlertFor('E-sg-1', stored(raw), 'P001', profiles.get('P001'));
    const message = dslAlertMessage(alert, oak, { toLeaders: false });
    for (const part of [message.subject, message.text, message.html]) {
      expect(part).not.toContain('NOTE-7f3a');
      expect(part).not.toContain('Room 12');
    }
    expect(message.text).toContain('Pupil: Alex Taylor (pupil id P001)');
    expect(message.text).toContain('When: Monday 23 November 2026 at 10:15');
    expect(message.text).toContain('Incident: INC-SG');
    expect(message.text).toContain('Category: disclosure');
    expect(message.text).toContain('Severity: 5 of 5');
    expect(message.text).toContain('see the MIS');
    expect(message.text).not.toContain('no designated safeguarding lead');
  });

  it('without a roster entry gives the id only; to leaders it says why', () => {
    const alert = dslAlertFor('E-sg-1', stored(raw), 'P404', undefined);
    const message = dslAlertMessage(alert, oak, { toLeaders: true });
    expect(message.text).toContain('Pupil id P404 (not yet on the roster)');
    expect(message.text).toContain('no designated safeguarding lead (DSL) email is configured');
  });
});
