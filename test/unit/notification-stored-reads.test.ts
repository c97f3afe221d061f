import { describe, expect, it } from 'vitest';
import { storedData, toPupilProfile } from '../../shared/domain/notification-policy';
import { storedProfile } from '../support/stored';

/** The notifiers read stored records by their catalogue types; what a message needs is still checked. */
describe('reading stored records in the notifiers', () => {
  it('a profile as ingest stored it reads whole; without contacts, as none', () => {
    expect(storedProfile('P001', [{ contactId: 'C1', name: 'Sam', relationship: 'mother', parentalResponsibility: true, notify: true }])).toMatchObject({
      pupilId: 'P001',
      firstName: 'Alex',
      contacts: [{ contactId: 'C1', language: 'en' }],
    });
    expect(toPupilProfile({ pupilId: 'P1', firstName: 'A', lastName: 'B', recordKind: 'pupil' })).toEqual({
      pupilId: 'P1',
      firstName: 'A',
      lastName: 'B',
      contacts: [],
    });
  });

  it('a profile without names or with contacts that are no list is refused, naming fields, never details', () => {
    expect(() => toPupilProfile({ pupilId: 'P1', lastName: 7, contacts: 'sam@example.org' })).toThrow(
      'stored profile of pupil P1 is unreadable (firstName, lastName, contacts)',
    );
  });

  it("an event's data that is no object is refused with ids only", () => {
    expect(storedData({ type: 'incident.recorded', eventId: 'E1', data: { incidentId: 'I1' } })).toEqual({ incidentId: 'I1' });
    expect(() => storedData({ type: 'incident.recorded', eventId: 'E1', data: 'x' })).toThrow('stored incident.recorded E1 has unreadable data');
    expect(() => storedData({ type: 'incident.recorded', eventId: 'E1' })).toThrow('has unreadable data');
  });
});
