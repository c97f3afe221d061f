import * as z from 'zod';
import { id, pupilId, staffId, staffNotes } from './common';
import { restrictiveTypes, type RestrictiveType } from './vocabulary';

/**
 * `restrictive.intervention.recorded` (contract section 7): the statutory record of one
 * significant incident of reasonable force, restraint or seclusion of one pupil.
 * docs/restrictive-interventions.md maps each field to the regulation or guidance that asks
 * for it. Every required field has its own message, so an MIS or a staff form can show it
 * beside the field (`data.antecedents`, `data.parentReport.reason`).
 */

export { restrictiveTypes, type RestrictiveType };

/** Non-empty text (whitespace alone is empty), with a message naming what is missing. */
const requiredText = (what: string, max = 10_000) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `is required: ${what}` : 'must be text') })
    .max(max)
    .refine((value) => value.trim().length > 0, { error: `must not be empty: ${what}` });

const required = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `is required: ${what}` : undefined);

/** "send", or a withholding decision with its reason (only where telling parents would put the pupil at risk of significant harm). */
const withholding = z.object({
  withhold: z.literal(true, { error: 'must be true to withhold the report' }),
  // Optional here only so the union matches a withholding without a reason; the record's
  // own check below then reports `data.parentReport.reason` by name.
  reason: z.string().max(2000).optional().describe('Required: why telling the parents would put the pupil at risk of significant harm'),
  // Addition to the contract: the law withholds the report from a parent, not from all of them
  // (Education and Inspections Act 2006, s.93A(5)(a); docs/restrictive-interventions.md).
  withholdFrom: z
    .array(id)
    .min(1)
    .max(20)
    .optional()
    .describe('Addition: the contacts (contactId) the report is withheld from; the others are sent it. Without it, it is withheld from every parent'),
});
const withholdReasonMissing = 'is required when withholding: why telling the parents would put the pupil at risk of significant harm';
export const parentReportDecision = z.union([z.literal('send'), withholding], {
  error: (issue) =>
    issue.input === undefined
      ? 'is required: "send", or {"withhold": true, "reason": "…"} where telling the parents would put the pupil at risk of significant harm'
      : 'must be "send", or {"withhold": true, "reason": "…"}',
});
export type ParentReportDecision = 'send' | { withhold: true; reason: string; withholdFrom?: string[] };

export const restrictiveInterventionRecorded = z
  .object({
    recordId: z
      .string({ error: required("the school's id for this record") })
      .min(1)
      .max(128)
      .describe("The school's id for this record; one record per significant incident and pupil"),
    incidentId: id.optional().describe('The incident (incident.recorded) this belongs to, if any'),
    types: z
      .array(z.enum(restrictiveTypes, { error: `each must be one of: ${restrictiveTypes.join(', ')}` }), {
        error: required('one or more of reasonable_force, restraint, seclusion'),
      })
      .min(1, { error: 'must name at least one of reasonable_force, restraint, seclusion' })
      .max(3),
    startedAt: z.iso.datetime({
      offset: true,
      error: (issue) =>
        issue.input === undefined ? 'is required: when it started (RFC 3339 with an offset)' : 'must be RFC 3339 with an offset, e.g. 2026-11-23T10:15:00Z',
    }),
    durationMinutes: z
      .number({ error: required('how long it lasted, in whole minutes') })
      .int({ error: 'must be whole minutes' })
      .min(0)
      .max(1440),
    location: requiredText('where it happened', 200),
    staffIds: z
      .array(staffId, { error: required('the staff involved (one or more staff ids)') })
      .min(1, { error: 'must name at least one member of staff' })
      .max(20)
      .describe("Staff involved: kept on the record, never in a parent's report"),
    antecedents: requiredText('what led up to it'),
    deEscalation: requiredText('what was tried first to calm the situation'),
    reason: requiredText('why it was necessary'),
    technique: z.string().max(200).optional().describe("The hold or method used, in the school's training scheme's words"),
    injuries: z.object(
      {
        pupil: z.boolean({ error: required('whether the pupil was injured (true/false)') }),
        staff: z.boolean({ error: required('whether a member of staff was injured (true/false)') }),
        description: z.string().max(2000).optional(),
      },
      { error: required('{"pupil": bool, "staff": bool}') },
    ),
    supportAfter: z.string().max(2000).optional().describe('Support given to the pupil afterwards (shared with parents)'),
    parentReport: parentReportDecision,
    // Additions to the contract (optional), asked for by the DfE guidance: see docs/restrictive-interventions.md.
    senAtTime: z.enum(['none', 'support', 'ehcp']).optional().describe("Addition: the pupil's SEN status when it happened (the roster may change later)"),
    otherPupilIds: z.array(pupilId).max(20).optional().describe("Addition: other pupils involved; never in a parent's report"),
    recordedAt: z.iso.datetime({ offset: true }).optional().describe('Addition: when the record was written (the guidance expects the same day)'),
    recordedBy: staffId.optional().describe('Addition: who wrote the record'),
    notes: staffNotes.optional(),
  })
  .superRefine(
    (data, ctx) => {
      // Runs on unparsed input too (`when` below): `null`, or a reason that is not text, is
      // reported by the schema itself, so only a missing or blank reason is named here.
      const reason: unknown = (data.parentReport as { reason?: unknown } | null)?.reason;
      if (data.parentReport !== null && (reason === undefined || (typeof reason === 'string' && !reason.trim())))
        ctx.addIssue({ code: 'custom', path: ['parentReport', 'reason'], message: withholdReasonMissing });
    },
    // Runs even when other fields are wrong, so every error is reported at once.
    { when: (payload) => typeof (payload.value as { parentReport?: unknown } | undefined)?.parentReport === 'object' },
  );
export type RestrictiveInterventionRecorded = Omit<z.infer<typeof restrictiveInterventionRecorded>, 'parentReport'> & { parentReport: ParentReportDecision };
