'use strict';
// Runs in a worker thread of the worker pool: renders a (pretend) report, CPU-bound on purpose.
const { createHash } = require('node:crypto');
const { threadId } = require('node:worker_threads');

exports.renderReport = function renderReport({ month, lines }) {
  let digest = createHash('sha256').update(month);
  for (let i = 0; i < lines * 2000; i++) digest = createHash('sha256').update(digest.digest());
  return { month, lines, checksum: digest.digest('hex').slice(0, 12), onWorkerThread: threadId !== 0 };
};
