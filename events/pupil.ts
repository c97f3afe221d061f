import * as z from 'zod';
import { id, isoDate } from './common';

export const notifyForKinds = ['force', 'detention', 'intervention', 'restorative', 'absence'] as const;
export type NotifyForKind = (typeof notifyForKinds)[number];

export const contact = z.object({
  contactId: id,
  name: z.string().min(1).max(200),
  relationship: z.string().min(1).max(100),
  parentalResponsibility: z.boolean(),
  email: z.email().optional(),
  phone: z.string().max(40).optional(),
  notify: z.boolean(),
  language: z.string().min(2).max(35).default('en'),
  /** Addition to the contract (optional): which non-statutory kinds this contact wants; absent = all. */
  notifyFor: z.array(z.enum(notifyForKinds)).optional(),
});
export type Contact = z.infer<typeof contact>;

export const yearGroups = ['N1', 'N2', 'R', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'] as const;

export const pupilUpserted = z.object({
  firstName: z.string().min(1).max(100),
  lastName: z.string().min(1).max(100),
  yearGroup: z.enum(yearGroups),
  dateOfBirth: isoDate.optional(),
  sen: z.enum(['none', 'support', 'ehcp']).optional(),
  pupilPremium: z.boolean().optional(),
  lookedAfter: z.boolean().optional(),
  contacts: z.array(contact).max(20).default([]),
});
