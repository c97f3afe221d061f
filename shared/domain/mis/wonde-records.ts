import * as z from 'zod';

/**
 * The parts of Wonde's JSON the connector reads (docs/mis-connector.md names the source of
 * each field). Unknown fields are ignored and optional ones may be null, as Wonde sends
 * null for an empty MIS field; a record that fails these shapes is reported, never guessed.
 */

/** Wonde's date object: `{"date":"2026-11-23 08:50:00.000000","timezone_type":3,"timezone":"UTC"}`. */
export const wondeDate = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\.\d+)?)?$/),
  timezone_type: z.number().optional(),
  timezone: z.string().default('UTC'),
});
export type WondeDate = z.infer<typeof wondeDate>;

const maybe = <T extends z.ZodType>(schema: T) => schema.nullish();

export const wondeContact = z.object({
  id: z.string().min(1),
  forename: maybe(z.string()),
  surname: maybe(z.string()),
  relationship: maybe(
    z.object({
      relationship: maybe(z.string()),
      parental_responsibility: maybe(z.boolean()),
      priority: maybe(z.number()),
    }),
  ),
  contact_details: maybe(
    z.object({
      data: maybe(
        z.object({
          emails: maybe(z.object({ email: maybe(z.string()), primary: maybe(z.string()), home: maybe(z.string()), work: maybe(z.string()) })),
          phones: maybe(z.object({ phone: maybe(z.string()), primary: maybe(z.string()), mobile: maybe(z.string()), home: maybe(z.string()) })),
        }),
      ),
    }),
  ),
});
export type WondeContact = z.infer<typeof wondeContact>;

export const wondeStudent = z.object({
  id: z.string().min(1),
  forename: maybe(z.string()),
  surname: maybe(z.string()),
  legal_forename: maybe(z.string()),
  legal_surname: maybe(z.string()),
  date_of_birth: maybe(wondeDate),
  updated_at: wondeDate,
  year: maybe(z.object({ data: maybe(z.object({ code: maybe(z.string()), name: maybe(z.string()) })) })),
  contacts: maybe(z.object({ data: z.array(wondeContact) })),
});
export type WondeStudent = z.infer<typeof wondeStudent>;

export const wondeSessionAttendance = z.object({
  id: z.string().min(1),
  student: z.string().min(1),
  date: wondeDate,
  session: z.enum(['AM', 'PM']),
  attendance_code: z.string().min(1),
  minutes_late: maybe(z.number().int().min(0)),
  updated_at: wondeDate,
});

export const wondeAttendanceCode = z.object({
  id: z.string().min(1),
  code: z.string().min(1),
  description: maybe(z.string()),
});

export const wondeDeletion = z.object({
  id: z.string().min(1),
  type: z.string(),
  external_id: z.string().min(1),
  deleted_at: wondeDate,
  restored_at: maybe(wondeDate),
});
