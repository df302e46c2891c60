import fc from 'fast-check';
import { allOf, anyOf, at, cron, describeSchedules, every, nextFireTimes } from '../../lib/scheduler';

const iso = (dates: readonly Date[]): string[] => dates.map((d) => d.toISOString());

describe('triggers', () => {
  it('fires a cron pattern in its time zone', () => {
    expect(iso(nextFireTimes(cron('0 3 * * *', { timezone: 'Europe/Paris' }), 2, new Date('2026-01-10T12:00:00Z')))).toEqual([
      '2026-01-11T02:00:00.000Z',
      '2026-01-12T02:00:00.000Z',
    ]);
    expect(iso(nextFireTimes(cron('0 3 * * *', { timezone: 'America/New_York' }), 2, new Date('2026-03-07T12:00:00Z')))).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT, the day the clocks went forward
      '2026-03-09T07:00:00.000Z',
    ]);
  });

  it('runs a time skipped by the spring change once, at the first valid instant, and a repeated one once', () => {
    const nightly = cron('30 2 * * *', { timezone: 'Europe/Paris' });
    expect(iso(nextFireTimes(nightly, 3, new Date('2026-03-27T12:00:00Z')))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist on 29 March: 03:00 CEST
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(iso(nextFireTimes(nightly, 3, new Date('2026-10-23T12:00:00Z')))).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z', // 02:30 happens twice on 25 October: once
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('fires a daily pattern once per local day in any zone, around any date (property)', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 11, 31) }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (timezone, from, hour, minute) => {
          const times = nextFireTimes(cron(`${minute} ${hour} * * *`, { timezone }), 8, new Date(from));
          expect(times).toHaveLength(8);
          const days = times.map((t) => new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(t));
          expect(new Set(days).size).toBe(8);
          for (let i = 1; i < times.length; i++) {
            const gap = times[i]!.getTime() - times[i - 1]!.getTime();
            expect(gap).toBeGreaterThanOrEqual(22 * 3600_000);
            expect(gap).toBeLessThanOrEqual(26 * 3600_000);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fires an interval at fixed points from its start, the same in every instance, until its end', () => {
    const trigger = every(1_000, { start: '2026-01-01T00:00:00.250Z', end: '2026-01-01T00:00:03.250Z' });
    expect(iso(nextFireTimes(trigger, 10, new Date('2026-01-01T00:00:01.700Z')))).toEqual([
      '2026-01-01T00:00:02.250Z',
      '2026-01-01T00:00:03.250Z',
    ]);
    expect(every(60_000).next(new Date('2026-01-01T10:00:30Z'))?.toISOString()).toBe('2026-01-01T10:01:00.000Z');
  });

  it('fires once at a date, and combines triggers with any and all', () => {
    const once = at('2026-05-01T08:00:00Z');
    expect(iso(nextFireTimes(once, 3, new Date('2026-04-01T00:00:00Z')))).toEqual(['2026-05-01T08:00:00.000Z']);
    const either = anyOf(cron('0 9 * * 1', { timezone: 'UTC' }), at('2026-06-02T12:00:00Z'));
    expect(iso(nextFireTimes(either, 3, new Date('2026-05-31T00:00:00Z')))).toEqual([
      '2026-06-01T09:00:00.000Z',
      '2026-06-02T12:00:00.000Z',
      '2026-06-08T09:00:00.000Z',
    ]);
    const both = allOf(cron('0 * * * *', { timezone: 'UTC' }), every(3 * 3_600_000));
    expect(iso(nextFireTimes(both, 2, new Date('2026-01-01T00:30:00Z')))).toEqual(['2026-01-01T03:00:00.000Z', '2026-01-01T06:00:00.000Z']);
  });

  it('refuses a bad pattern or date with a coded error, and lists the schedules of a config with their next times', () => {
    expect(() => cron('61 * * * *')).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    expect(() => at('tomorrow-ish')).toThrow(expect.objectContaining({ code: 'ASPHALT_INVALID_ARGUMENT' }));
    const listing = describeSchedules(
      { schedules: [{ id: 'digest', job: 'digest', trigger: { cron: '0 3 * * *', timezone: 'UTC' } }, { id: 'tick', job: 'tick', trigger: { every: 60_000 } }] },
      2,
      new Date('2026-01-01T12:00:00Z'),
    );
    expect(listing.map((l) => [l.id, l.trigger, iso(l.next)])).toEqual([
      ['digest', 'cron 0 3 * * * (UTC)', ['2026-01-02T03:00:00.000Z', '2026-01-03T03:00:00.000Z']],
      ['tick', 'every 60000 ms', ['2026-01-01T12:01:00.000Z', '2026-01-01T12:02:00.000Z']],
    ]);
  });
});
