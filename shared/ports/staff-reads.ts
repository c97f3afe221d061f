/** The staff API's reads (DynamoDB: shared/adapters/aws/staff-reads.ts); GetItem and Query only. */

import type { ChronologyItem } from '../domain/chronology';

export type { ChronologyItem };

export interface PupilSummary {
  pupilId: string;
  firstName: string;
  lastName: string;
  yearGroup: string;
}

export interface ChronologyPage {
  items: ChronologyItem[];
  nextCursor?: string;
}

export interface StaffReads {
  searchRoster(schoolId: string, text: string, limit: number): Promise<PupilSummary[]>;
  pupil(schoolId: string, pupilId: string): Promise<Record<string, unknown> | undefined>;
  chronologyPage(schoolId: string, pupilId: string, limit: number, cursor?: string): Promise<ChronologyPage | 'bad-cursor'>;
  /** Every incident journal item of the pupil (type, eventId, incidentId, safeguardingConcern). */
  incidents(schoolId: string, pupilId: string): Promise<ChronologyItem[]>;
  /** The journal items of these records (type, eventId, incidentId): what they follow. */
  recordsFollowed(schoolId: string, eventIds: string[]): Promise<ChronologyItem[]>;
  figures(schoolId: string, week: string): Promise<unknown>;
  /** Journal items of these types in these school-weeks (GSI2). */
  weekRecords(schoolId: string, weeks: string[], types: string[]): Promise<ChronologyItem[]>;
}
