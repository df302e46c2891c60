import { Component, type Context, requires } from '../../lib';
import { CborSerializer, JsonSerializer, Serializer, SerializerComponent } from '../../lib/serialization';
import { startTestApp } from '../../lib/testing';

describe('the serializer component', () => {
  it('publishes the configured backend under Serializer and its own class, with the name of its alias', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('serializer', SerializerComponent, { backend: 'cbor', maxSize: 1000 });
        this.addComponent('serializer/events', SerializerComponent);
      }
    }
    const app = await startTestApp(Root);
    const cbor = await app.context.getResource(Serializer);
    expect(cbor).toBeInstanceOf(CborSerializer);
    expect(cbor.maxSize).toBe(1000);
    expect(await app.context.getResource(CborSerializer)).toBe(cbor);
    expect(await app.context.getResource(Serializer, 'events')).toBeInstanceOf(JsonSerializer);
  });

  it('lets a component that requires it register custom types before use', async () => {
    class Money {
      constructor(readonly cents: number) {}
    }
    @requires(Serializer)
    class Shop extends Component {
      override async start(ctx: Context): Promise<void> {
        (await ctx.getResource(Serializer)).registerCustomType(Money);
      }
    }
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('serializer', SerializerComponent, { backend: 'msgpack' });
        this.addComponent('shop', Shop);
      }
    }
    const app = await startTestApp(Root);
    const serializer = await app.context.getResource(Serializer);
    expect(serializer.deserialize(serializer.serialize(new Money(5)))).toEqual(new Money(5));
  });

  it('refuses an unknown backend in its config, naming the choices', async () => {
    class Root extends Component {
      constructor() {
        super();
        this.addComponent('serializer', SerializerComponent, { backend: 'xml' });
      }
    }
    await expect(startTestApp(Root)).rejects.toThrow(/backend.*must be one of json, cbor, msgpack/);
  });
});
