/**
 * The event types the webhook accepts (v1, and v2's sections 7 and 8), without their schemas:
 * the bus detail, the rules and the staff access list name types, and importing this costs a
 * function nothing. The catalogue (catalogue.ts) has exactly one schema per name, checked by
 * the compiler.
 */
export const eventTypes = [
  'pupil.upserted',
  'attendance.marked',
  'intervention.started',
  'intervention.session.recorded',
  'intervention.ended',
  'restorative.session.recorded',
  'incident.recorded',
  'restrictive.intervention.recorded',
  'outcome.measure.recorded',
] as const;
export type EventType = (typeof eventTypes)[number];
