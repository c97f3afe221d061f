/**
 * DfE national attendance codes in force from August 2024 (School Attendance (Pupil
 * Registration) (England) Regulations 2024). Every attendance figure is derived from the
 * category here, so a code's meaning is decided in exactly one place.
 */
export const attendanceCategories = {
  present: ['/', '\\', 'L'],
  approvedOffSite: ['K', 'V', 'P', 'W', 'B'],
  authorisedAbsence: ['C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T'],
  unauthorisedAbsence: ['G', 'N', 'O', 'U'],
  notPossible: ['D', 'X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#'],
} as const;

export type AttendanceCategory = keyof typeof attendanceCategories;
export type AttendanceCode = (typeof attendanceCategories)[AttendanceCategory][number];

export const attendanceCodes = Object.values(attendanceCategories).flat() as [AttendanceCode, ...AttendanceCode[]];

const categoryByCode = new Map<string, AttendanceCategory>(
  Object.entries(attendanceCategories).flatMap(([category, codes]) => codes.map((code) => [code, category as AttendanceCategory])),
);

export function attendanceCategory(code: AttendanceCode): AttendanceCategory {
  const category = categoryByCode.get(code);
  if (!category) throw new Error(`not a DfE attendance code: ${code}`);
  return category;
}

/** Codes that trigger a first-day absence message to parents (contract section 4). */
export const firstDayAbsenceCodes = ['N', 'O', 'U'] as const satisfies readonly AttendanceCode[];
