import * as z from 'zod';
import { attendanceCodes } from './attendance-codes';
import { isoDate } from './common';

export const attendanceMarked = z.object({
  date: isoDate,
  session: z.enum(['AM', 'PM']),
  code: z.enum(attendanceCodes, { error: 'must be a DfE attendance code (2024 regulations)' }),
  minutesLate: z.number().int().min(0).optional(),
});
