import { createConnection, createServer, Server, type Socket } from 'node:net';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { CLIApplicationComponent, Component, component, type Context, provides } from 'asphalt-ts';

export class EchoServerConfig {
  @IsString() host = '127.0.0.1';
  @IsInt() @Min(0) @Max(65535) port = 7007;
}

/** A TCP server that sends every line back; publishes the `net.Server`. */
@provides(Server)
@component()
export class EchoServerComponent extends Component {
  constructor(readonly config: EchoServerConfig) {
    super();
  }

  override async start(ctx: Context): Promise<void> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.setEncoding('utf8');
      socket.on('data', (data: string) => socket.write(data));
      socket.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : this.config.port;
    console.log(`echo server listening on ${this.config.host}:${port}`);
    ctx.addResource(server, {
      types: [Server],
      teardown: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
          console.log('echo server closed');
        }),
    });
  }
}

export class EchoClientConfig {
  @IsString() host = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) port = 7007;
  @IsString({ each: true }) messages: string[] = ['hello'];
}

/** Sends each message as a line and prints what comes back; exits with 0 when all came back. */
@component()
export class EchoClient extends CLIApplicationComponent {
  constructor(readonly config: EchoClientConfig) {
    super();
  }

  async run(): Promise<number> {
    const socket = createConnection({ host: this.config.host, port: this.config.port });
    socket.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    let received = '';
    for (const message of this.config.messages) {
      socket.write(`${message}\n`);
      while (!received.includes('\n')) {
        received += await new Promise<string>((resolve) => socket.once('data', resolve));
      }
      const line = received.slice(0, received.indexOf('\n'));
      received = received.slice(line.length + 1);
      console.log(`echo: ${line}`);
    }
    socket.end();
    return 0;
  }
}
