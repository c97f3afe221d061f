export interface SchoolProfile {
  schoolId: string;
  name: string;
  leaders: string[];
  timezone: string;
  dslEmail?: string;
  createdAt: string;
}

export interface SchoolDirectory {
  /** Registers a school; false when the id is taken (nothing changes then). */
  create(profile: SchoolProfile): Promise<boolean>;
  get(schoolId: string): Promise<SchoolProfile | undefined>;
  list(): Promise<SchoolProfile[]>;
}
