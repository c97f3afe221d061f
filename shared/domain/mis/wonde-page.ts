import * as z from 'zod/mini';

/**
 * A page of any Wonde list endpoint: `data`, and `meta.pagination.next` (a URL, or null on the
 * last page). Apart from the records (wonde-records.ts) and in zod/mini: the Wonde source is
 * built in every function with the MIS ports, wonde-lifecycle too, which reads no page.
 */
export const wondePage = z.object({
  data: z.array(z.unknown()),
  meta: z.nullish(z.object({ pagination: z.nullish(z.object({ next: z.nullish(z.string()), more: z.nullish(z.boolean()) })) })),
});
