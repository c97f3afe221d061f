import { useEffect, useState } from 'preact/hooks';
import { api, type Me } from './api';
import { Page } from './main';

interface Figures {
  week: string;
  attendance: { rate: number | null; possibleSessions: number; absentSessions: number };
  incidents: { total: number; reasonableForce: number };
  restorative: { sessions: number };
  interventions: { active: number; started: number };
}

const weeksBack = 6;

/** The ISO weeks ending with the last complete one, oldest first. */
function lastWeeks(count: number, today = new Date()): string[] {
  const weeks: string[] = [];
  for (let back = count; back >= 1; back--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 7 * back));
    const thursday = new Date(day);
    thursday.setUTCDate(day.getUTCDate() + 3 - ((day.getUTCDay() + 6) % 7));
    const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round(((thursday.getTime() - yearStart.getTime()) / 86_400_000 - 3 + ((yearStart.getUTCDay() + 6) % 7)) / 7);
    weeks.push(`${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`);
  }
  return weeks;
}

/** A bar chart that is also a table: the SVG is decorative, the table carries the numbers. */
function Bars({ title, rows, format }: { title: string; rows: { week: string; value: number | null }[]; format: (value: number) => string }) {
  const max = Math.max(1, ...rows.map((row) => row.value ?? 0));
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${rows.length * 40} 100`} aria-hidden="true" focusable="false" preserveAspectRatio="none">
        {rows.map((row, index) => (
          <rect key={row.week} x={index * 40 + 6} width="28" y={100 - ((row.value ?? 0) / max) * 96} height={((row.value ?? 0) / max) * 96} />
        ))}
      </svg>
      <table>
        <thead>
          <tr>
            <th scope="col">Week</th>
            <th scope="col">{title}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.week}>
              <th scope="row">{row.week}</th>
              <td>{row.value === null ? 'not rolled up' : format(row.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function Figures({ me }: { me: Me }) {
  const schools = me.schools;
  const [schoolId, setSchoolId] = useState(me.schoolId ?? schools[0]?.schoolId ?? '');
  const [figures, setFigures] = useState<{ week: string; figures?: Figures }[]>([]);
  useEffect(() => {
    if (!schoolId) return;
    const weeks = lastWeeks(weeksBack);
    Promise.all(
      weeks.map((week) =>
        api<Figures>('GET', `/v1/schools/${encodeURIComponent(schoolId)}/weeks/${week}/figures`).then(
          (value) => ({ week, figures: value }),
          () => ({ week }),
        ),
      ),
    ).then(setFigures);
  }, [schoolId]);
  const series = (pick: (f: Figures) => number | null) => figures.map(({ week, figures: f }) => ({ week, value: f ? pick(f) : null }));
  return (
    <Page title="Weekly figures">
      {me.role === 'trust' && (
        <div class="field">
          <label for="school">School</label>
          <select id="school" value={schoolId} onChange={(event) => setSchoolId(event.currentTarget.value)}>
            {schools.map((school) => (
              <option key={school.schoolId} value={school.schoolId}>
                {school.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div class="charts" aria-live="polite">
        <Bars title="Attendance rate" rows={series((f) => f.attendance.rate)} format={(value) => `${(value * 100).toFixed(1)}%`} />
        <Bars title="Incidents" rows={series((f) => f.incidents.total)} format={String} />
        <Bars title="Restorative sessions" rows={series((f) => f.restorative.sessions)} format={String} />
        <Bars title="Active interventions" rows={series((f) => f.interventions.active)} format={String} />
      </div>
    </Page>
  );
}
