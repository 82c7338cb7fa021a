#!/usr/bin/env node
// Launcher: registers tsx's CommonJS loader and runs cli/index.ts from source, the way the tests, the sandbox
// and `pulumi up` (ts-node) run this repository: there is no build step to forget or to drift from the source.
'use strict';
// `scheduler-observer report list | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
require('tsx/cjs');
require('../cli/index.ts').main();
