const autocannon = require('autocannon');
const { fork } = require('node:child_process');
if (process.argv[2]) {
  const opts = JSON.parse(process.argv[2]);
  const app = require('fastify')(opts);
  app.get('/hello', async () => ({ hello: 'world' }));
  app.listen({ port: 0, host: '127.0.0.1' }).then(() => process.send(app.server.address().port));
} else (async () => {
  const variants = { def: { logger: false }, same: { logger: false, return503OnClosing: false, forceCloseConnections: false, keepAliveTimeout: 72000, requestTimeout: 0, bodyLimit: 1048576, trustProxy: false } };
  const ports = {};
  for (const [k, v] of Object.entries(variants)) { const c = fork(__filename, [JSON.stringify(v)]); ports[k] = [c, await new Promise((r) => c.once('message', r))]; }
  for (let i = 0; i < 3; i++) for (const k of Object.keys(variants)) { const r = await autocannon({ url: `http://127.0.0.1:${ports[k][1]}/hello`, connections: 50, duration: 2 }); console.log(k, r.requests.average, r.latency.p99); }
  for (const k of Object.keys(ports)) ports[k][0].kill();
})();
