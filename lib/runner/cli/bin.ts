#!/usr/bin/env node
import { main } from './main';

// The compiled entry point of the `asphalt` binary (bin/asphalt.js builds a checkout, then runs this).
// Once the command is done the process exits, even if abandoned work (a start() that was aborted, a
// stray timer) still holds the event loop; stdout and stderr are flushed first.
void main(process.argv.slice(2)).then((code) => {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
