import { Signal, token } from '../../lib';
import { remote } from '../../lib/bridge/remote';
import { declareRemote, remoteDeclarationById, remoteDeclarationOf } from '../../lib/bridge/remote-registry';

describe('@remote and declareRemote', () => {
  it('give a class and a token a stable id and their remote methods and signals', () => {
    @remote('Geocoder', { methods: ['locate'], signals: ['moved'] })
    abstract class Geocoder {
      readonly moved = new Signal<{ id: string }>();
      abstract locate(address: string): Promise<[number, number]>;
    }
    interface Clock {
      now(): Promise<number>;
    }
    const Clock = token<Clock>('Clock');
    declareRemote(Clock, { methods: ['now'] });
    expect(remoteDeclarationById('Geocoder', 'spec')).toMatchObject({ key: Geocoder, methods: new Set(['locate']), signals: new Set(['moved']) });
    expect(remoteDeclarationOf(Clock)).toMatchObject({ id: 'Clock', methods: new Set(['now']) });
  });

  it('refuses an id used by another key, an id that is not one subject token, and $-names', () => {
    class A {}
    class B {}
    declareRemote(A as never, { id: 'Shared', methods: [] });
    expect(() => declareRemote(B as never, { id: 'Shared', methods: [] })).toThrow(expect.objectContaining({ code: 'ASPHALT_REMOTE_DECLARATION', message: expect.stringContaining('already declared for A') }));
    expect(() => declareRemote(token<object>('mail.Mailer'), { methods: [] })).toThrow(/becomes a NATS subject token/);
    expect(() => declareRemote(B as never, { id: 'B', methods: ['$ping' as never] })).toThrow(/not a valid member name/);
    expect(() => declareRemote(B as never, { methods: [] })).toThrow(/a class needs an explicit id/);
  });

  it('names the declared ids and the likely one when an id is unknown', () => {
    declareRemote(token<object>('Mailbox'), { methods: [] });
    expect(() => remoteDeclarationById('Mailbx', 'bridge config import.0.key')).toThrow(/bridge config import\.0\.key: no remote key 'Mailbx'.*did you mean 'Mailbox'\?/);
  });

  it('checks the method and signal names against the class at compile time', () => {
    abstract class Sms {
      readonly delivered = new Signal<string>();
      abstract send(to: string): Promise<void>;
      count(): number {
        return 0;
      }
    }
    // @ts-expect-error: 'sned' is not a method of Sms
    remote('Sms1', { methods: ['sned'] })(Sms);
    // @ts-expect-error: count() does not return a promise, so a proxy could not stand in for it
    remote('Sms2', { methods: ['count'] })(Sms);
    // @ts-expect-error: send is not a Signal
    remote('Sms3', { methods: [], signals: ['send'] })(Sms);
    remote('Sms4', { methods: ['send'], signals: ['delivered'] })(Sms);
    // @ts-expect-error: declareRemote checks tokens the same way
    declareRemote(token<Sms>('Sms5'), { methods: ['count'] });
  });
});
