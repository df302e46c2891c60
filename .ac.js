const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');
const autocannon = require('autocannon');
(async () => {
  const start = (s) => new Promise((res) => { const c = spawn(process.execPath, ['dist/bench/scenarios/http.js'], { env: { ...process.env, ASPHALT_BENCH_HTTP_SUBJECT: s }, stdio: ['pipe', 'pipe', 'inherit'] }); createInterface({ input: c.stdout }).once('line', (l) => res({ c, port: Number(l.split(' ')[1]) })); });
  const a = await start('bare fastify'); const b = await start('HttpComponent');
  for (let i = 0; i < 4; i++) for (const [n, s] of (i % 2 ? [['bare', a], ['comp', b]] : [['comp', b], ['bare', a]])) { const r = await autocannon({ url: `http://127.0.0.1:${s.port}/hello`, connections: 50, duration: 2 }); console.log(n, r.requests.average, r.latency.p99, r.non2xx); }
  a.c.kill(); b.c.kill();
})();
