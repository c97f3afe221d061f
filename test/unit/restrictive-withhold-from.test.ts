import { describe, expect, it } from 'vitest';
import { restrictiveInterventionRecorded } from '../../events/restrictive';
import { restrictiveDslAlertMessage } from '../../shared/domain/messages';
import { decideRestrictiveReport } from '../../shared/domain/restrictive-report';
import { restrictiveIntervention } from '../support/events';
import { storedJournal, storedProfile } from '../support/stored';

/**
 * The law withholds the report from a parent, not from all of them: "must not report it to
 * that parent" (Education and Inspections Act 2006, s.93A(5)(a)). `withholdFrom` (an addition
 * to the contract) names the contacts; the others are sent it as with "send".
 */
const school = { schoolId: 'oak', timezone: 'Europe/London', name: 'Oak Primary' };
const mother = { contactId: 'C1', name: 'Sam Taylor', relationship: 'mother', parentalResponsibility: true, email: 'sam@example.org', notify: true };
const father = { ...mother, contactId: 'C2', name: 'Lee Taylor', relationship: 'father', email: 'lee@example.org' };
const reason = 'The father has threatened the pupil over school reports';

const plan = (contacts: Parameters<typeof storedProfile>[1], withholdFrom?: string[]) =>
  decideRestrictiveReport({
    eventId: 'E1',
    record: storedJournal(
      restrictiveIntervention({ eventId: 'E1', data: { parentReport: { withhold: true, reason, ...(withholdFrom ? { withholdFrom } : {}) } } }),
      school,
    ),
    profiles: new Map([['P001', storedProfile('P001', contacts)]]),
  });
const decisions = (result: ReturnType<typeof plan>) => result.decisions.map((d) => [d.recipient.contactId, d.action, d.reason ?? null]);
const alertText = (result: ReturnType<typeof plan>) => restrictiveDslAlertMessage(result.dslAlert!, school, { toLeaders: false }).text;

describe('withholding the report from some parents only', () => {
  it('the named parent is not sent it, the other is; the DSL is told the reason and whom it was withheld from', () => {
    const result = plan([mother, father], ['C2']);
    expect(decisions(result)).toEqual([
      ['C1', 'send', null],
      ['C2', 'suppress', 'report-withheld'],
    ]);
    expect(result.dslAlert).toMatchObject({ kind: 'restrictive-report-withheld', withholdReason: reason, withheldFrom: ['father (C2)'], sentToOthers: true });
    const text = alertText(result);
    expect(text).toContain('father (C2)');
    expect(text).toContain('The other parents and carers with parental responsibility have been sent the report.');
    expect(text).not.toContain('local authority');
  });

  it('withheld from every parent: nobody is sent it, and the alert says the local authority must be told instead', () => {
    for (const result of [plan([mother, father], ['C1', 'C2']), plan([mother, father])]) {
      expect(result.decisions.every((d) => d.action === 'suppress' && d.reason === 'report-withheld')).toBe(true);
      expect(alertText(result)).toContain('reported to the local authority where the pupil lives');
    }
  });

  it('the other parent cannot be sent it by email: the DSL is asked to give it another way, not to tell the local authority', () => {
    const result = plan([mother, { ...father, email: undefined }], ['C1']);
    expect(decisions(result)).toEqual([
      ['C1', 'suppress', 'report-withheld'],
      ['C2', 'suppress', 'no-email'],
    ]);
    expect(result.dslAlert).toMatchObject({ kind: 'restrictive-report-withheld', withheldFrom: ['mother (C1)'], undeliverable: { 'no-email': 1 } });
    expect(alertText(result)).toContain('given it another way today');
    expect(alertText(result)).not.toContain('local authority');
  });

  it('the schema: withholdFrom needs a reason like any withholding, and at least one contact id', () => {
    const data = (parentReport: unknown) => restrictiveIntervention({ data: { parentReport } }).data;
    expect(restrictiveInterventionRecorded.safeParse(data({ withhold: true, reason, withholdFrom: ['C2'] })).success).toBe(true);
    const paths = (parentReport: unknown) =>
      restrictiveInterventionRecorded.safeParse(data(parentReport)).error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths({ withhold: true, withholdFrom: ['C2'] })).toContain('parentReport.reason');
    expect(paths({ withhold: true, reason, withholdFrom: [] })).toContain('parentReport.withholdFrom');
  });
});
