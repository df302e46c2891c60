import { main } from '../../samples/newsletter/main';

describe('the newsletter sample', () => {
  it('starts its components in dependency order, prints its graph and summary, sends, and stops', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      expect(await main({ components: { store: { subscribers: ['a@x.org', 'b@x.org', 'c@x.org'] } } })).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const output = lines.join('\n');
    // The newsletter waits for both the mailer (a 40 ms handshake) and the store (5 ms); which of
    // them finished last is timing, and on a loaded machine either can.
    expect(output).toMatch(/^info: started 4 component\(s\) in [\d.]+ ms; critical path: root\.(mailer|store) -> root\.newsletter -> root$/m);
    expect(output).toContain('start order: root.mailer + root.store  ->  root.newsletter  ->  root');
    expect(output).toContain(`n_root_mailer -->|"token(Mailer) 'default'"| n_root_newsletter`);
    expect(output.match(/SubscriberStore 'default'/g)).toHaveLength(1);
    for (const to of ['a@x.org', 'b@x.org', 'c@x.org']) expect(output).toContain(`sent "Issue #1" to ${to}`);
    expect(output).toContain('newsletter: 3 mail(s) sent');
    // bootstrap logs (info) the start first, then a line per component started and stopped: the
    // mailer closes its connection as it stops, after the newsletter that sends through it.
    expect(lines[0]).toBe('info: starting the application: 4 component(s) under root (NewsletterApp)');
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('info: root.newsletter stopped')).toBeGreaterThan(at('newsletter: 3 mail(s) sent'));
    expect(at('mailer: connection closed')).toBeGreaterThan(at('info: root.newsletter stopped'));
    expect(at('info: root.mailer stopped')).toBeGreaterThan(at('mailer: connection closed'));
    expect(lines[lines.length - 1]).toMatch(/^info: root stopped in [\d.]+ ms$/);
  });

  it('refuses a bad config with the path of the bad value and starts nothing', async () => {
    await expect(main({ components: { mailer: { latencyMs: -1, form: 'x' } } })).rejects.toMatchObject({
      code: 'ASPHALT_COMPONENT_START',
      phase: 'config',
      message: expect.stringMatching(/components\.mailer\.latencyMs[\s\S]*components\.mailer\.form: unknown option; did you mean 'from'/),
    });
  });
});
