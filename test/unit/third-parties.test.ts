import { describe, expect, it } from 'vitest';
import { thirdPartiesIn } from '../../shared/domain/third-parties';
import { pupilExport } from '../../shared/services/pupil-export';
import { restorativeSession, restrictiveIntervention } from '../support/events';
import { storedJournal } from '../support/stored';

/** The subject access export names the other people in a pupil's records, for the DPO to weigh (DPA 2018 Sch 2 para 16). */
const journal = (raw: unknown, extra: Record<string, unknown> = {}) => ({ ...storedJournal(raw), ...extra });

describe("who else a pupil's records are about", () => {
  const restraint = journal(
    restrictiveIntervention({
      pupilId: 'P001',
      data: {
        staffIds: ['S-GREY', 'S-AMIS'],
        otherPupilIds: ['P002', 'P001'],
        recordedBy: 'S-REC',
        injuries: { pupil: false, staff: true, description: 'a scratch' },
      },
    }),
    { recordedBy: 'cognito-user-7' },
  );
  const people: Record<string, string>[] = [
    ...['P001', 'P003'].map((pupilId, index) => ({ pupilId, role: index === 0 ? 'responsible' : 'harmed' })),
    { staffId: 'S-FAC', role: 'facilitator' },
  ];
  const restorative = journal(restorativeSession({ data: { participants: people, summaryForParents: '   ' } }));
  const profile = { pupilId: 'P001', contacts: [{ contactId: 'C1' }, { contactId: 'C2' }] };

  it('other pupils and staff by id, contacts, and the free text to read; never the pupil themself', () => {
    const found = thirdPartiesIn('P001', profile, [restraint, restorative]);
    expect(found.pupilIds).toEqual(['P002', 'P003']);
    expect(found.staffIds).toEqual(['S-AMIS', 'S-FAC', 'S-GREY', 'S-REC', 'cognito-user-7']);
    expect(found.contactIds).toEqual(['C1', 'C2']);
    expect(found.freeText).toContainEqual({
      eventId: restraint.eventId,
      type: 'restrictive.intervention.recorded',
      fields: expect.arrayContaining(['data.antecedents', 'data.deEscalation', 'data.reason', 'data.location', 'data.injuries.description']),
    });
    // Blank text names nobody.
    expect(found.freeText.find((entry) => entry.eventId === restorative.eventId)?.fields ?? []).not.toContain('data.summaryForParents');
  });

  it('is part of the export, which stays complete', () => {
    const exported = pupilExport('oak', 'P001', { profile, events: [restraint], attendance: [], notifications: [] }, new Date('2026-12-01T09:00:00Z'));
    expect(exported.thirdParties.pupilIds).toEqual(['P002']);
    expect((exported.restrictiveInterventions[0]!.data as { staffIds: string[] }).staffIds).toEqual(['S-GREY', 'S-AMIS']);
  });
});
