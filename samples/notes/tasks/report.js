'use strict';
// Runs in a worker thread of the worker pool: renders the (pretend) report of the day's notes.
const { createHash } = require('node:crypto');
const { threadId } = require('node:worker_threads');

exports.renderNotesReport = function renderNotesReport({ day, titles }) {
  let digest = createHash('sha256').update(day);
  for (let i = 0; i < 20_000; i++) digest = createHash('sha256').update(digest.digest()).update(titles.join('\n'));
  return { day, notes: titles.length, checksum: digest.digest('hex').slice(0, 12), onWorkerThread: threadId !== 0 };
};
