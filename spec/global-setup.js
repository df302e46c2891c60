// The CLI and sample specs run the real `asphalt` binary, which runs the compiled dist/.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = () => {
  execFileSync('bash', [join(__dirname, '..', 'scripts', 'ensure-built.sh')], { stdio: 'inherit' });
};
