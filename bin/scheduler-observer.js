#!/usr/bin/env node
// Launcher: registers tsx's CommonJS loader and runs cli/index.ts from source, the way the tests, the sandbox
// and `pulumi up` (ts-node) run this repository: there is no build step to forget or to drift from the source.
'use strict';
require('tsx/cjs');
require('../cli/index.ts').main();
