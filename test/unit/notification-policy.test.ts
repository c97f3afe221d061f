import { describe, expect, it } from 'vitest';
import { parseEvent, type TrackerEvent } from '../../events/catalogue';
import type { Contact } from '../../events/pupil';
import { planWrite, type StoredItem } from '../../shared/domain/records';
import {
  contactSuppression,
  correctedAbsenceCode,
  decideParentNotifications,
  dslRecipient,
  isSafeguardingConcern,
  redactOthers,
  toPupilProfile,
  type ParentNoticeKind,
  type PlannedDecision,
  type PupilProfile,
} from '../../shared/domain/notification-policy';
import { attendanceMark, incident, interventionStarted, pupil, restorativeSession } from '../support/events';

/** The notification policy table: every notifying kind × every kind of contact, and what never notifies. */
const school = { schoolId: 'oak', timezone: 'Europe/London' };
const today = '2026-11-23';

const parse = (raw: unknown): TrackerEvent => {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.event;
};
/** The item as the table holds it, exactly as ingest writes it. */
const stored = (raw: unknown): StoredItem => {
  const plan = planWrite(parse(raw), school, new Date('2026-11-23T09:00:00Z'));
  return plan.kind === 'mark' ? { ...plan.mark.key, ...plan.mark.attributes } : { ...plan.journal };
};
const profileOf = (pupilId: string, contacts: Partial<Contact>[], names = { firstName: 'Alex', lastName: 'Taylor' }): PupilProfile => {
  const plan = planWrite(parse(pupil({ pupilId, data: { ...names, contacts } })), school, new Date());
  if (plan.kind !== 'journal' || !plan.profile) throw new Error('no profile');
  return toPupilProfile(plan.profile.attributes);
};

const base = {
  contactId: 'C',
  name: 'Sam Taylor',
  relationship: 'mother',
  parentalResponsibility: true,
  email: 'sam@example.org',
  notify: true,
  language: 'en',
};
const contactCases: Record<string, Partial<Contact>> = {
  eligible: base,
  'no parental responsibility': { ...base, parentalResponsibility: false },
  'notify false': { ...base, notify: false },
  'no email': { ...base, email: undefined },
  'notify false and no PR': { ...base, notify: false, parentalResponsibility: false },
  'notifyFor excludes the kind': { ...base, notifyFor: ['absence'] },
  'notifyFor empty': { ...base, notifyFor: [] },
  'notifyFor includes the kind': { ...base, notifyFor: ['force', 'detention', 'intervention', 'restorative', 'absence'] },
};

const eventCases: Record<ParentNoticeKind, { raw: unknown; excluded: string }> = {
  force: { raw: incident({ eventId: 'E-force', data: { physicalIntervention: { used: true, injury: false } } }), excluded: 'absence' },
  detention: { raw: incident({ eventId: 'E-det', data: { detention: { date: '2026-11-25', minutes: 30 } } }), excluded: 'absence' },
  'intervention-started': { raw: interventionStarted({ eventId: 'E-is' }), excluded: 'absence' },
  'intervention-ended': {
    raw: {
      eventId: 'E-ie',
      type: 'intervention.ended',
      occurredAt: '2026-11-23T10:00:00Z',
      pupilId: 'P001',
      data: { interventionId: 'INT1', endDate: today, outcome: 'achieved' },
    },
    excluded: 'absence',
  },
  restorative: {
    raw: restorativeSession({ eventId: 'E-rs', data: { participants: [{ pupilId: 'P001', role: 'harmed' }], summaryForParents: 'They talked it through.' } }),
    excluded: 'absence',
  },
  absence: { raw: attendanceMark({ eventId: 'E-abs', code: 'N', date: today }), excluded: 'force' },
  // The contact 'C' was sent the absence notice this mark was about; the mark is now present.
  'absence-correction': { raw: attendanceMark({ eventId: 'E-corr', code: '/', date: today }), excluded: 'force' },
};
const toldOfAbsence = (raw: unknown) => ((raw as { eventId?: string }).eventId === 'E-corr' ? { toldOfAbsence: new Set(['C']) } : {});

function decide(raw: unknown, profiles: Record<string, PupilProfile | undefined>, options: { today?: string; record?: StoredItem } = {}): PlannedDecision[] {
  const event = parse(raw);
  return decideParentNotifications({
    eventId: event.eventId,
    type: event.type,
    record: options.record ?? stored(raw),
    profiles: new Map(Object.entries(profiles)),
    today: options.today ?? today,
    ...toldOfAbsence(raw),
  });
}

const preference: Record<ParentNoticeKind, string> = {
  force: 'force',
  detention: 'detention',
  'intervention-started': 'intervention',
  'intervention-ended': 'intervention',
  restorative: 'restorative',
  absence: 'absence',
  'absence-correction': 'absence',
};

describe('policy table: kind × contact', () => {
  for (const [kind, { raw }] of Object.entries(eventCases) as [ParentNoticeKind, (typeof eventCases)[ParentNoticeKind]][]) {
    for (const [label, contact] of Object.entries(contactCases)) {
      const excluded = label === 'notifyFor excludes the kind' || label === 'notifyFor empty';
      // The absence case needs a list without 'absence'.
      const person = label === 'notifyFor excludes the kind' && preference[kind] === 'absence' ? { ...contact, notifyFor: ['force' as const] } : contact;
      const expected =
        label === 'eligible' || label === 'notifyFor includes the kind'
          ? { action: 'send' }
          : label === 'no parental responsibility'
            ? { action: 'suppress', reason: 'no-parental-responsibility' }
            : label.startsWith('notify false')
              ? { action: 'suppress', reason: 'notify-false' }
              : label === 'no email'
                ? { action: 'suppress', reason: 'no-email' }
                : excluded && kind === 'force'
                  ? { action: 'send' } // reasonable-force notices ignore notifyFor
                  : { action: 'suppress', reason: `opted-out:${preference[kind]}` };
      it(`${kind} × ${label} → ${expected.reason ?? 'send'}`, () => {
        const decisions = decide(raw, { P001: profileOf('P001', [person]) });
        expect(decisions).toHaveLength(1);
        const [decision] = decisions;
        expect(decision).toMatchObject({ pupilId: 'P001', kind, recipient: { contactId: 'C', relationship: 'mother' }, ...expected });
        if (expected.action === 'send') {
          expect(decision!.notice).toMatchObject({ kind, pupil: { firstName: 'Alex', lastName: 'Taylor' } });
          expect(decision!.recipient.email).toBe('sam@example.org');
          expect(decision!.dedupKey).toBe(kind === 'absence' || kind === 'absence-correction' ? `${kind}#${today}` : parse(raw).eventId);
        } else {
          expect(decision!.notice).toBeUndefined();
          expect(decision!.dedupKey).toBe(parse(raw).eventId);
        }
      });
    }
  }
});

describe('events that never notify a parent', () => {
  const eligible = { P001: profileOf('P001', [base]) };
  const only = (decisions: PlannedDecision[]) => {
    expect(decisions).toHaveLength(1);
    expect(decisions[0]!.recipient).toEqual({ contactId: 'none' });
    expect(decisions[0]!.action).toBe('suppress');
    return decisions[0]!;
  };

  it('a safeguarding concern, even with force used (it goes to the DSL instead)', () => {
    const raw = incident({ eventId: 'E-sg', data: { safeguardingConcern: true, physicalIntervention: { used: true, injury: true }, notes: 'x' } });
    expect(only(decide(raw, eligible))).toMatchObject({ kind: 'force', reason: 'safeguarding', dedupKey: 'E-sg' });
    expect(isSafeguardingConcern(stored(raw))).toBe(true);
    expect(isSafeguardingConcern(stored(incident()))).toBe(false);
  });

  it('an incident without force or detention', () => {
    expect(only(decide(incident({ data: { severity: 4, physicalIntervention: { used: false, injury: false } } }), eligible))).toMatchObject({
      kind: 'none',
      reason: 'not-notifiable',
    });
  });

  it('an intervention session (staff notes stay with staff)', () => {
    const raw = {
      eventId: 'E-sess',
      type: 'intervention.session.recorded',
      occurredAt: '2026-11-23T10:00:00Z',
      pupilId: 'P001',
      data: { interventionId: 'INT1', sessionId: 'S1', date: today, durationMinutes: 30, attended: true, notes: 'private' },
    };
    expect(only(decide(raw, eligible))).toMatchObject({ kind: 'none', reason: 'not-notifiable' });
  });

  it('a restorative session without a summary for parents (or a blank one)', () => {
    for (const summaryForParents of [undefined, '   ']) {
      const raw = restorativeSession({
        data: { participants: [{ pupilId: 'P001', role: 'harmed' }], ...(summaryForParents !== undefined ? { summaryForParents } : {}), notes: 'private' },
      });
      expect(only(decide(raw, eligible))).toMatchObject({ kind: 'restorative', reason: 'no-summary-for-parents' });
    }
  });

  it('an absence mark for an earlier date, or a later one', () => {
    expect(only(decide(attendanceMark({ code: 'N', date: '2026-11-20' }), eligible))).toMatchObject({ kind: 'absence', reason: 'past-date' });
    expect(only(decide(attendanceMark({ code: 'O', date: '2026-11-24' }), eligible))).toMatchObject({ kind: 'absence', reason: 'future-date' });
  });

  it('an absence whose stored mark was corrected to a non-absence code before processing', () => {
    const raw = attendanceMark({ code: 'N', date: today });
    for (const code of ['/', 'L', 'C', 'G']) {
      expect(only(decide(raw, eligible, { record: { ...stored(raw), code } })), code).toMatchObject({ reason: 'absence-corrected' });
    }
    for (const code of ['N', 'O', 'U']) {
      expect(decide(raw, eligible, { record: { ...stored(raw), code } })[0], code).toMatchObject({ action: 'send', notice: { code } });
    }
  });

  it('no pupil profile, or a profile without contacts: one decision, recipient none, no-contacts', () => {
    const raw = incident({ data: { detention: { date: today, minutes: 20 } } });
    expect(only(decide(raw, {}))).toMatchObject({ kind: 'detention', reason: 'no-contacts' });
    expect(only(decide(raw, { P001: profileOf('P001', []) }))).toMatchObject({ reason: 'no-contacts' });
  });
});

describe('contacts', () => {
  it('decides each contact separately, in roster order, and sends one message per address', () => {
    const raw = incident({ data: { detention: { date: today, minutes: 20 } } });
    const profile = profileOf('P001', [
      { ...base, contactId: 'C1' },
      { ...base, contactId: 'C2', relationship: 'father', email: 'pat@example.org', parentalResponsibility: false },
      { ...base, contactId: 'C3', relationship: 'father', email: 'SAM@example.org' },
      { ...base, contactId: 'C4', relationship: 'grandmother', email: 'gran@example.org' },
    ]);
    expect(decide(raw, { P001: profile }).map((decision) => [decision.recipient.contactId, decision.action, decision.reason])).toEqual([
      ['C1', 'send', undefined],
      ['C2', 'suppress', 'no-parental-responsibility'],
      ['C3', 'suppress', 'duplicate-email'],
      ['C4', 'send', undefined],
    ]);
  });

  it('reason order: notify false first, then parental responsibility, email, preference', () => {
    const all: Contact = { ...base, notify: false, parentalResponsibility: false, email: undefined, notifyFor: [] };
    expect(contactSuppression(all, 'detention')).toBe('notify-false');
    expect(contactSuppression({ ...all, notify: true }, 'detention')).toBe('no-parental-responsibility');
    expect(contactSuppression({ ...all, notify: true, parentalResponsibility: true }, 'detention')).toBe('no-email');
    expect(contactSuppression({ ...base, notifyFor: [] } as Contact, 'detention')).toBe('opted-out:detention');
    expect(contactSuppression({ ...base, notifyFor: [] } as Contact, 'force')).toBeUndefined();
    expect(contactSuppression({ ...base, notify: false, notifyFor: [] } as Contact, 'force')).toBe('notify-false');
  });

  it('a force notice that also gave a detention includes it only for contacts who want detention notices', () => {
    const raw = incident({ data: { physicalIntervention: { used: true, injury: false }, detention: { date: '2026-11-24', minutes: 45 } } });
    const [all, forceOnly] = decide(raw, {
      P001: profileOf('P001', [
        { ...base, contactId: 'A' },
        { ...base, contactId: 'B', email: 'b@example.org', notifyFor: ['absence'] },
      ]),
    });
    expect(all).toMatchObject({ kind: 'force', action: 'send', notice: { detention: { date: '2026-11-24', minutes: 45 } } });
    expect(forceOnly).toMatchObject({ kind: 'force', action: 'send' });
    expect(forceOnly!.notice).not.toHaveProperty('detention');
  });
});

describe('restorative sessions', () => {
  const raw = restorativeSession({
    eventId: 'E-rs2',
    data: {
      participants: [
        { pupilId: 'P001', role: 'harmed' },
        { pupilId: 'P002', role: 'responsible' },
        { staffId: 'STAFF-77', role: 'facilitator' },
      ],
      summaryForParents: 'Alex and Jordan Smith (P002) met with STAFF-77 and agreed to sit apart. Jordan apologised.',
      notes: 'STAFF ONLY',
    },
  });
  const profiles = {
    P001: profileOf('P001', [{ ...base, contactId: 'A1' }]),
    P002: profileOf('P002', [{ ...base, contactId: 'B1', email: 'smith@example.org' }], { firstName: 'Jordan', lastName: 'Smith' }),
  };

  it('notifies the parents of each pupil participant, once per pupil and contact', () => {
    const decisions = decide(raw, profiles);
    expect(decisions.map((decision) => [decision.pupilId, decision.recipient.contactId, decision.action])).toEqual([
      ['P001', 'A1', 'send'],
      ['P002', 'B1', 'send'],
    ]);
  });

  it("never shows one family another pupil's name or id, or a staff id", () => {
    const [alexs, jordans] = decide(raw, profiles);
    const toAlex = JSON.stringify(alexs!.notice);
    expect(toAlex).not.toMatch(/Jordan|Smith|P002|STAFF-77|STAFF ONLY/);
    expect(alexs!.notice).toMatchObject({
      summary: 'Alex and another pupil (another pupil) met with a member of staff and agreed to sit apart. another pupil apologised.',
    });
    const toJordan = JSON.stringify(jordans!.notice);
    expect(toJordan).not.toMatch(/Alex|Taylor|P001|STAFF-77/);
  });

  it('redacts whole words only, case-insensitively', () => {
    const profile = profileOf('P9', [], { firstName: 'Al', lastName: 'Stone' });
    expect(redactOthers('AL and al met Alan near Stonehenge; stone.', 'P1', [{ pupilId: 'P9' }], new Map([['P9', profile]]))).toBe(
      'another pupil and another pupil met Alan near Stonehenge; another pupil.',
    );
  });
});

describe('DSL recipients', () => {
  it('is the DSL when configured, otherwise the leaders with a reason', () => {
    expect(dslRecipient({ dslEmail: 'dsl@oak.example.org', leaders: ['head@oak.example.org'] })).toEqual({
      recipient: { contactId: 'dsl', relationship: 'designated safeguarding lead', email: 'dsl@oak.example.org' },
      to: ['dsl@oak.example.org'],
    });
    expect(dslRecipient({ leaders: ['head@oak.example.org', 'deputy@oak.example.org'] })).toMatchObject({
      recipient: { contactId: 'leaders', emails: ['head@oak.example.org', 'deputy@oak.example.org'] },
      to: ['head@oak.example.org', 'deputy@oak.example.org'],
      reason: 'no-dsl-configured',
    });
  });
});

describe('an absence corrected after its notice (issue 11)', () => {
  const told = (raw: unknown, contactIds: string[], contacts: Partial<Contact>[]) =>
    decideParentNotifications({
      eventId: parse(raw).eventId,
      type: 'attendance.marked',
      record: stored(raw),
      profiles: new Map([['P001', profileOf('P001', contacts)]]),
      today: '2026-11-30', // days later: a correction is not a first-day notice, the date does not matter
      toldOfAbsence: new Set(contactIds),
    });
  const mum = { ...base, contactId: 'C' };
  const dad = { ...base, contactId: 'D', email: 'dad@example.org' };

  it('to present or approved off site: a correction to the contacts who were told, and no one else', () => {
    const decisions = told(attendanceMark({ code: 'K', date: today }), ['C'], [mum, dad]);
    expect(decisions.map((decision) => [decision.recipient.contactId, decision.action, decision.reason ?? null])).toEqual([
      ['C', 'send', null],
      ['D', 'suppress', 'not-told-of-absence'],
    ]);
    expect(decisions[0]!.notice).toEqual({
      kind: 'absence-correction',
      pupil: { firstName: 'Alex', lastName: 'Taylor' },
      date: today,
      session: 'AM',
      now: 'approvedOffSite',
    });
  });
  it('to an authorised code: nothing, with the reason', () => {
    expect(told(attendanceMark({ code: 'I', date: today }), ['C'], [mum])).toEqual([
      expect.objectContaining({ action: 'suppress', reason: 'absence-now-authorised', recipient: { contactId: 'none' } }),
    ]);
  });
  it('to an unauthorised code that sends no first-day notice (G, holiday not agreed): nothing, and not recorded as authorised', () => {
    // The mark replaced an N, so notify-parents asks who was told (correctedFromCode N).
    expect(correctedAbsenceCode({ type: 'attendance.marked', code: 'G', previousCode: 'N' })).toBe('N');
    expect(told(attendanceMark({ code: 'G', date: today }), ['C'], [mum])).toEqual([
      expect.objectContaining({ kind: 'absence-correction', action: 'suppress', reason: 'absence-still-unauthorised', recipient: { contactId: 'none' } }),
    ]);
  });
  it('when no one was told: nothing to correct', () => {
    expect(told(attendanceMark({ code: '/', date: today }), [], [mum])).toEqual([expect.objectContaining({ action: 'suppress', reason: 'absence-corrected' })]);
  });
});
