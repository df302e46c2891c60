import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap, describeConfig, registerComponentType, silentLogger, type Application } from 'asphalt-ts';
import { loadConfig } from 'asphalt-ts/runner';
import { HttpAddress, HttpComponent, HttpConfig, HttpListenError } from 'asphalt-ts/http';
import { routes, startHttp, stopAll } from './http-app';

afterEach(stopAll);

describe('the http config', () => {
  it('serves HTTPS with a certificate and key read with !TextFile from YAML', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asphalt-http-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    writeFileSync(
      join(dir, 'config.yaml'),
      'component:\n  type: container\n  components:\n    http:\n      type: http\n      port: 0\n      tls: { cert: !TextFile cert.pem, key: !TextFile key.pem }\n',
    );
    registerComponentType('http', HttpComponent);
    const loaded = loadConfig({ files: [join(dir, 'config.yaml')] });
    let app: Application | undefined;
    try {
      app = await bootstrap(String(loaded.component.type), loaded.component, { logger: silentLogger });
      const address = await app.context.getResource(HttpAddress);
      expect(address.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(`${address.url}/readyz-or-404`, { ca: readFileSync(join(dir, 'cert.pem')) }, (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toMatch(/^404 /);
    } finally {
      await app?.stop();
    }
  });

  it('rejects bad values with their paths and lists every option in describe', async () => {
    const failure = await startHttp(routes(() => undefined), { http: { port: 70000, drainTimeout: -1, health: { readyz: 'ready' } } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ASPHALT_COMPONENT_START', phase: 'config' });
    const message = (failure as Error).message;
    for (const path of ['components.http.port', 'components.http.drainTimeout', 'components.http.health.readyz']) expect(message).toContain(path);
    const options = describeConfig(HttpConfig).map((o) => o.name);
    expect(options).toEqual(expect.arrayContaining(['host', 'port', 'trustProxy', 'bodyLimit', 'keepAliveTimeout', 'requestTimeout', 'tls', 'shutdownDelay', 'drainTimeout', 'plugins', 'health']));
  });

  it('fails the start with HttpListenError naming the component when the port is taken', async () => {
    const first = await startHttp(routes(() => undefined));
    const failure = await startHttp(routes(() => undefined), { http: { port: first.port } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'ASPHALT_COMPONENT_START', path: 'root.http' });
    expect((failure as Error).cause).toBeInstanceOf(HttpListenError);
    expect(((failure as Error).cause as Error).message).toContain(`HTTP server root.http could not listen on 127.0.0.1:${first.port}`);
  });
});
