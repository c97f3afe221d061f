import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../events/catalogue';
import { bandMovement, deriveSdq, sdqBand, sdqBands, sdqTeacherCutOffs, type SdqScale } from '../../shared/domain/sdq';
import { incident, outcomeMeasure, restrictiveIntervention } from '../support/events';

const errorsOf = (raw: unknown) => {
  const parsed = parseEvent(raw);
  return parsed.ok ? [] : parsed.errors;
};
const pathsOf = (raw: unknown) => errorsOf(raw).map((error) => error.path);

describe('restrictive.intervention.recorded (contract section 7)', () => {
  const required = [
    'recordId',
    'types',
    'startedAt',
    'durationMinutes',
    'location',
    'staffIds',
    'antecedents',
    'deEscalation',
    'reason',
    'injuries',
    'parentReport',
  ];

  it.each(required)('rejects a record without %s, naming data.%s', (field) => {
    const event = restrictiveIntervention();
    delete (event.data as Record<string, unknown>)[field];
    const errors = errorsOf(event);
    expect(errors).toEqual([{ path: `data.${field}`, message: expect.stringMatching(/^is required/) }]);
  });

  it('reports every missing field at once, each by its own path', () => {
    expect(pathsOf({ ...restrictiveIntervention(), data: {} })).toEqual(required.map((field) => `data.${field}`));
  });

  it('treats blank text as missing, and checks types, staff, minutes and injuries', () => {
    const event = restrictiveIntervention({
      data: { antecedents: '  ', deEscalation: '', reason: '\n', location: ' ', types: [], staffIds: [], durationMinutes: -1, injuries: { pupil: true } },
    });
    expect(pathsOf(event).sort()).toEqual(
      [
        'data.antecedents',
        'data.deEscalation',
        'data.reason',
        'data.location',
        'data.types',
        'data.staffIds',
        'data.durationMinutes',
        'data.injuries.staff',
      ].sort(),
    );
    expect(pathsOf(restrictiveIntervention({ data: { types: ['time_out'] } }))).toEqual(['data.types.0']);
    expect(pathsOf(restrictiveIntervention({ data: { durationMinutes: 2.5 } }))).toEqual(['data.durationMinutes']);
    expect(pathsOf(restrictiveIntervention({ data: { startedAt: '2026-11-23 10:15' } }))).toEqual(['data.startedAt']);
  });

  it('takes "send" or a withholding with a reason, and names the missing reason', () => {
    expect(
      parseEvent(restrictiveIntervention({ data: { parentReport: { withhold: true, reason: 'Disclosure would put the pupil at risk of significant harm' } } }))
        .ok,
    ).toBe(true);
    expect(errorsOf(restrictiveIntervention({ data: { parentReport: { withhold: true } } }))).toEqual([
      { path: 'data.parentReport.reason', message: expect.stringContaining('significant harm') },
    ]);
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: { withhold: true, reason: '   ' } } }))).toEqual(['data.parentReport.reason']);
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: 'later' } }))).toEqual(['data.parentReport']);
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: { withhold: false, reason: 'x' } } }))).toEqual(['data.parentReport']);
  });

  it('answers a parentReport of null, or a reason that is not text, with an error, never a crash (found by the fuzzer)', () => {
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: null } }))).toEqual(['data.parentReport']);
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: { withhold: true, reason: 5 } } }))).toEqual(['data.parentReport']);
    expect(pathsOf(restrictiveIntervention({ data: { parentReport: { withhold: true, reason: 5 }, location: '' } }))).toEqual([
      'data.location',
      'data.parentReport',
    ]);
  });

  it('requires the pupil, and accepts the optional additions', () => {
    const { pupilId: _omit, ...noPupil } = restrictiveIntervention();
    expect(pathsOf(noPupil)).toEqual(['pupilId']);
    const full = restrictiveIntervention({
      data: {
        incidentId: 'I9',
        senAtTime: 'ehcp',
        otherPupilIds: ['P002'],
        recordedAt: '2026-11-23T11:00:00Z',
        recordedBy: 'S1',
        notes: 'staff only',
        injuries: { pupil: true, staff: false, description: 'Red mark on the wrist' },
      },
    });
    expect(parseEvent(full).ok).toBe(true);
    expect(pathsOf(restrictiveIntervention({ data: { senAtTime: 'maybe' } }))).toEqual(['data.senAtTime']);
  });

  it('keeps v1 incident.recorded.physicalIntervention as it was', () => {
    expect(parseEvent(incident({ data: { physicalIntervention: { used: true, technique: 'guide', durationMinutes: 2, injury: false } } })).ok).toBe(true);
    expect(pathsOf(incident({ data: { physicalIntervention: { used: true } } }))).toEqual(['data.physicalIntervention.injury']);
  });
});

describe('outcome.measure.recorded (contract section 8)', () => {
  it('needs the five scale scores, whole numbers 0..10, each by its path', () => {
    expect(parseEvent(outcomeMeasure()).ok).toBe(true);
    expect(pathsOf(outcomeMeasure({ scores: { emotional: 11, conduct: -1, peer: 2.5 } }))).toEqual([
      'data.scores.emotional',
      'data.scores.conduct',
      'data.scores.peer',
    ]);
    const event = outcomeMeasure();
    delete (event.data.scores as Record<string, unknown>).prosocial;
    expect(errorsOf(event)).toEqual([{ path: 'data.scores.prosocial', message: expect.stringMatching(/^is required/) }]);
    expect(pathsOf(outcomeMeasure({ data: { instrument: 'sdq_parent' } }))).toEqual(['data.instrument']);
    expect(pathsOf({ ...outcomeMeasure(), data: {} })).toEqual(['data.measureId', 'data.instrument', 'data.date', 'data.scores']);
  });

  it('never keeps questionnaire items, even if an MIS sends them (licence)', () => {
    const parsed = parseEvent(outcomeMeasure({ data: { items: [0, 1, 2, 1, 0], answers: { q1: 2 } } }));
    expect(parsed.ok && parsed.event.data).not.toHaveProperty('items');
    expect(parsed.ok && parsed.event.data).not.toHaveProperty('answers');
    expect(parsed.ok && Object.keys((parsed.event.data as { scores: object }).scores).sort()).toEqual([
      'conduct',
      'emotional',
      'hyperactivity',
      'peer',
      'prosocial',
    ]);
  });
});

describe('SDQ teacher four-band cut-offs', () => {
  it.each([
    [0, 'close_to_average'],
    [11, 'close_to_average'],
    [12, 'slightly_raised'],
    [15, 'slightly_raised'],
    [16, 'high'],
    [18, 'high'],
    [19, 'very_high'],
    [40, 'very_high'],
  ] as const)('total difficulties %i is %s', (total, band) => {
    expect(sdqBand('total', total)).toBe(band);
  });

  const edges: [SdqScale, number, string][] = [
    ['emotional', 0, 'close_to_average'],
    ['emotional', 3, 'close_to_average'],
    ['emotional', 4, 'slightly_raised'],
    ['emotional', 5, 'high'],
    ['emotional', 6, 'very_high'],
    ['emotional', 10, 'very_high'],
    ['conduct', 0, 'close_to_average'],
    ['conduct', 2, 'close_to_average'],
    ['conduct', 3, 'slightly_raised'],
    ['conduct', 4, 'high'],
    ['conduct', 5, 'very_high'],
    ['conduct', 10, 'very_high'],
    ['hyperactivity', 0, 'close_to_average'],
    ['hyperactivity', 5, 'close_to_average'],
    ['hyperactivity', 6, 'slightly_raised'],
    ['hyperactivity', 7, 'slightly_raised'],
    ['hyperactivity', 8, 'high'],
    ['hyperactivity', 9, 'very_high'],
    ['hyperactivity', 10, 'very_high'],
    ['peer', 0, 'close_to_average'],
    ['peer', 2, 'close_to_average'],
    ['peer', 3, 'slightly_raised'],
    ['peer', 4, 'slightly_raised'],
    ['peer', 5, 'high'],
    ['peer', 6, 'very_high'],
    ['peer', 10, 'very_high'],
    ['prosocial', 10, 'close_to_average'],
    ['prosocial', 6, 'close_to_average'],
    ['prosocial', 5, 'slightly_raised'],
    ['prosocial', 4, 'high'],
    ['prosocial', 3, 'very_high'],
    ['prosocial', 0, 'very_high'],
  ];
  it.each(edges)('%s %i is %s', (scale, score, band) => {
    expect(sdqBand(scale, score)).toBe(band);
  });

  it('covers every score of every scale exactly once (no gap, no overlap)', () => {
    for (const [scale, table] of Object.entries(sdqTeacherCutOffs) as [SdqScale, Record<string, readonly [number, number]>][]) {
      const max = scale === 'total' ? 40 : 10;
      for (let score = 0; score <= max; score++) {
        const matches = sdqBands.filter((band) => score >= table[band]![0] && score <= table[band]![1]);
        expect(matches, `${scale} ${score}`).toHaveLength(1);
      }
    }
    expect(() => sdqBand('total', 41)).toThrow(RangeError);
    expect(() => sdqBand('peer', -1)).toThrow(RangeError);
  });

  it('derives total difficulties without prosocial, and every band', () => {
    expect(deriveSdq({ emotional: 4, conduct: 3, hyperactivity: 8, peer: 4, prosocial: 2 })).toEqual({
      totalDifficulties: 19,
      bands: {
        total: 'very_high',
        emotional: 'slightly_raised',
        conduct: 'slightly_raised',
        hyperactivity: 'high',
        peer: 'slightly_raised',
        prosocial: 'very_high',
      },
    });
    expect(deriveSdq({ emotional: 0, conduct: 0, hyperactivity: 0, peer: 0, prosocial: 10 }).totalDifficulties).toBe(0);
    expect(deriveSdq({ emotional: 10, conduct: 10, hyperactivity: 10, peer: 10, prosocial: 0 }).totalDifficulties).toBe(40);
  });

  it('band movement is by band order', () => {
    expect(bandMovement('very_high', 'high')).toBe(-1);
    expect(bandMovement('very_high', 'close_to_average')).toBe(-1);
    expect(bandMovement('high', 'high')).toBe(0);
    expect(bandMovement('close_to_average', 'slightly_raised')).toBe(1);
  });
});
