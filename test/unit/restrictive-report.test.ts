import { describe, expect, it } from 'vitest';
import { restrictiveDslAlertMessage, restrictiveReportMessage } from '../../shared/domain/messages';
import { decideRestrictiveReport, undeliverableAlert } from '../../shared/domain/restrictive-report';
import { restrictiveIntervention } from '../support/events';
import { storedJournal, storedProfile } from '../support/stored';

const school = { schoolId: 'oak', timezone: 'Europe/London', name: 'Oak Primary' };
const stored = (raw: unknown) => storedJournal(raw, school);
const profileOf = storedProfile;
const parent = { contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email: 'sam@example.org', notify: true };

describe('restrictive intervention report policy', () => {
  it('writes the routing flag and the record date from startedAt, with 25-year retention', () => {
    const item = stored(restrictiveIntervention({ occurredAt: '2026-11-30T09:00:00Z', data: { startedAt: '2026-11-27T23:30:00Z' } }));
    expect(item).toMatchObject({ parentReport: 'send', date: '2026-11-27', week: '2026-W48' });
    expect(item).not.toHaveProperty('safeguardingConcern');
    expect(stored(restrictiveIntervention({ data: { parentReport: { withhold: true, reason: 'risk of harm at home' } } })).parentReport).toBe('withhold');
    expect(item.expiresAt).toBe(Date.UTC(2051, 10, 28) / 1000);
  });

  it('"send": every contact with PR, notify and an email; notifyFor does not apply; the rest suppressed with reasons', () => {
    const profile = profileOf('P001', [
      { ...parent, notifyFor: ['absence'] },
      { ...parent, contactId: 'C2', email: 'dad@example.org', relationship: 'father', notifyFor: [] },
      { ...parent, contactId: 'C3', parentalResponsibility: false, email: 'gran@example.org' },
      { ...parent, contactId: 'C4', notify: false, email: 'x@example.org' },
      { ...parent, contactId: 'C5', email: undefined },
      { ...parent, contactId: 'C6', email: 'SAM@example.org' },
    ]);
    const plan = decideRestrictiveReport({ eventId: 'E1', record: stored(restrictiveIntervention({ eventId: 'E1' })), profiles: new Map([['P001', profile]]) });
    expect(plan.dslAlert).toBeUndefined();
    expect(plan.decisions.map((d) => [d.recipient.contactId, d.action, d.reason ?? null])).toEqual([
      ['C1', 'send', null],
      ['C2', 'send', null],
      ['C3', 'suppress', 'no-parental-responsibility'],
      ['C4', 'suppress', 'notify-false'],
      ['C5', 'suppress', 'no-email'],
      ['C6', 'suppress', 'duplicate-email'],
    ]);
    expect(plan.decisions.every((d) => d.kind === 'restrictive-report' && d.dedupKey === 'E1')).toBe(true);
  });

  it('no contact can receive it: every contact suppressed and the DSL alerted that it must be given another way', () => {
    const profile = profileOf('P001', [
      { ...parent, email: undefined },
      { ...parent, contactId: 'C2', parentalResponsibility: false },
    ]);
    const plan = decideRestrictiveReport({ eventId: 'E2', record: stored(restrictiveIntervention()), profiles: new Map([['P001', profile]]) });
    expect(plan.decisions.every((d) => d.action === 'suppress')).toBe(true);
    expect(plan.dslAlert).toMatchObject({
      kind: 'restrictive-report-undeliverable',
      pupilName: 'Alex Taylor',
      undeliverable: { 'no-email': 1, 'no-parental-responsibility': 1 },
    });
    const notOnRoster = decideRestrictiveReport({ eventId: 'E3', record: stored(restrictiveIntervention()), profiles: new Map() });
    expect(notOnRoster.decisions).toEqual([expect.objectContaining({ recipient: { contactId: 'none' }, reason: 'no-contacts' })]);
    expect(notOnRoster.dslAlert).toMatchObject({ kind: 'restrictive-report-undeliverable', undeliverable: { 'not-on-roster': 1 } });
  });

  it('withheld: nobody is sent anything, the decision is recorded, the DSL gets the reason', () => {
    const profile = profileOf('P001', [parent]);
    const record = stored(
      restrictiveIntervention({ data: { parentReport: { withhold: true, reason: 'Disclosure to the father would put her at risk of significant harm' } } }),
    );
    const plan = decideRestrictiveReport({ eventId: 'E4', record, profiles: new Map([['P001', profile]]) });
    expect(plan.decisions).toEqual([
      { pupilId: 'P001', kind: 'restrictive-report', dedupKey: 'E4', recipient: { contactId: 'none' }, action: 'suppress', reason: 'report-withheld' },
    ]);
    expect(plan.dslAlert).toMatchObject({ kind: 'restrictive-report-withheld', withholdReason: expect.stringContaining('significant harm') });
    const message = restrictiveDslAlertMessage(plan.dslAlert!, school, { toLeaders: false });
    expect(message.text).toContain('significant harm');
    expect(message.subject).toContain('withheld');
  });

  it('the report names no staff and no other pupil, and never carries notes or antecedents', () => {
    const profiles = new Map([
      ['P001', profileOf('P001', [parent])],
      ['P002', profileOf('P002', [], { firstName: 'Jordan', lastName: 'Blake' })],
    ]);
    const record = stored(
      restrictiveIntervention({
        data: {
          staffIds: ['S-ROSS', 'S-KHAN'],
          recordedBy: 'S-LEE',
          otherPupilIds: ['P002'],
          antecedents: 'ANTECEDENT-SECRET argument with Jordan',
          reason: 'To stop Jordan Blake being hit; S-ROSS stepped in',
          deEscalation: 'S-KHAN talked calmly; P002 was moved away',
          supportAfter: 'Sat with S-LEE and Jordan later',
          injuries: { pupil: false, staff: true, description: 'S-ROSS had a scratch' },
          notes: 'NOTE-SECRET',
        },
      }),
    );
    const plan = decideRestrictiveReport({ eventId: 'E5', record, profiles });
    const notice = plan.decisions[0]!.notice!;
    const { text, html, subject } = restrictiveReportMessage(notice, school);
    for (const part of [text, html, subject]) {
      for (const secret of ['S-ROSS', 'S-KHAN', 'S-LEE', 'Jordan', 'Blake', 'P002', 'NOTE-SECRET', 'ANTECEDENT-SECRET']) expect(part).not.toContain(secret);
    }
    expect(text).toContain('another pupil');
    expect(text).toContain('a member of staff');
    expect(text).toContain('Alex Taylor');
    expect(text).toContain('Corridor outside the science block');
    expect(text).toContain('4 minutes');
    expect(text).toContain('Single elbow guide');
    expect(text).toContain('A member of staff was also hurt.');
    expect(html).toContain('<h1');
    expect(html).not.toMatch(/<script/i);
  });

  it('the parent report says when, where, what and how long, why, what was tried first, injuries and support', () => {
    const plan = decideRestrictiveReport({
      eventId: 'E6',
      record: stored(restrictiveIntervention({ data: { types: ['reasonable_force', 'seclusion'] } })),
      profiles: new Map([['P001', profileOf('P001', [parent])]]),
    });
    const { text, subject } = restrictiveReportMessage(plan.decisions[0]!.notice!, school);
    expect(subject).toBe('Oak Primary: a report about Alex (reasonable force and seclusion)');
    for (const label of [
      'When: Monday 23 November 2026 at 10:15',
      'Where:',
      'What was used:',
      'How long: 4 minutes',
      'Why it was needed:',
      'What we tried first:',
      'Injuries: Alex was not hurt.',
      'Support afterwards:',
      'Reference:',
    ]) {
      expect(text).toContain(label);
    }
  });

  it('an undeliverable alert after every address refused the email', () => {
    const alert = undeliverableAlert('E7', stored(restrictiveIntervention()), profileOf('P001', [parent]), { 'mail-rejected': 1 });
    expect(alert).toMatchObject({ kind: 'restrictive-report-undeliverable', pupilName: 'Alex Taylor', undeliverable: { 'mail-rejected': 1 } });
    expect(restrictiveDslAlertMessage(alert, school, { toLeaders: true }).text).toContain('no designated safeguarding lead');
  });
});
